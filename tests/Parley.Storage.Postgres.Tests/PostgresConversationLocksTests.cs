using Parley.Storage.Conformance;

namespace Parley.Storage.Postgres.Tests;

[PostgresRequired]
public sealed class PostgresConversationLocksTests : IAsyncLifetime
{
    private readonly PostgresBackend _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [StoreFact]
    public async Task AcquireAsync_SameConversationFromTwoServers_SecondWaitsForTheFirst()
    {
        await using var a = new PostgresConversationLocks(_db.Options());
        await using var b = new PostgresConversationLocks(_db.Options());
        var first = await a.AcquireAsync("s_1");

        var second = b.AcquireAsync("s_1");
        var other = await b.AcquireAsync("s_2").WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(200);

        Assert.False(second.IsCompleted);
        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        other.Dispose();
    }

    [StoreFact]
    public async Task AcquireAsync_CancelledWhileWaiting_ThrowsAndLeavesTheLockUsable()
    {
        await using var a = new PostgresConversationLocks(_db.Options());
        await using var b = new PostgresConversationLocks(_db.Options());
        var held = await a.AcquireAsync("s_1");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b.AcquireAsync("s_1", cts.Token));

        held.Dispose();
        (await b.AcquireAsync("s_1").WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }
}
