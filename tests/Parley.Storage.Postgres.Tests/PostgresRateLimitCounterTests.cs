using Parley.Storage.Conformance;

namespace Parley.Storage.Postgres.Tests;

[PostgresRequired]
public sealed class PostgresRateLimitCounterTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private readonly PostgresBackend _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [StoreFact]
    public async Task IncrementAsync_TwoServers_CountOneWindowTogether()
    {
        await using var a = new PostgresRateLimitCounter(_db.Options());
        await using var b = new PostgresRateLimitCounter(_db.Options());
        var window = TimeSpan.FromMinutes(1);

        var counts = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? a : b).IncrementAsync("key:sk-secret", Noon, window)));

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), counts.Order());
        Assert.Equal(1, await a.IncrementAsync("key:other", Noon, window));
    }

    [StoreFact]
    public async Task IncrementAsync_NextWindow_StartsAgainAndClearsTheOldOne()
    {
        await using var counter = new PostgresRateLimitCounter(_db.Options());
        var window = TimeSpan.FromMinutes(1);
        await counter.IncrementAsync("ip:10.0.0.1", Noon, window);
        await counter.IncrementAsync("ip:10.0.0.1", Noon, window);

        Assert.Equal(1, await counter.IncrementAsync("ip:10.0.0.1", Noon + window, window));
        Assert.Equal(1L, await _db.ScalarAsync("SELECT COUNT(*) FROM rate_limit_windows;"));
    }

    [StoreFact]
    public async Task IncrementAsync_ApiKeyPartition_IsStoredOnlyAsAHash()
    {
        await using var counter = new PostgresRateLimitCounter(_db.Options());

        await counter.IncrementAsync("key:sk-live-secret", Noon, TimeSpan.FromMinutes(1));

        Assert.Equal(32, ((byte[])(await _db.ScalarAsync("SELECT client FROM rate_limit_windows;"))!).Length);
        Assert.Equal(0L, await _db.ScalarAsync("SELECT COUNT(*) FROM rate_limit_windows WHERE position('sk-live-secret'::bytea IN client) > 0;"));
    }
}
