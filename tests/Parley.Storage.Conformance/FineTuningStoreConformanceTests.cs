using Parley.Core.Conversations;
using Parley.Core.FineTuning;

namespace Parley.Storage.Conformance;

/// <summary>What every <see cref="IFineTuningStore"/> must do — records, owners, and the job queue's leases — run against each backend by a derived class.</summary>
public abstract class FineTuningStoreConformanceTests(StoreBackend backend) : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    protected StoreBackend Backend { get; } = backend;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Backend.DisposeAsync();

    private static FineTuningFileRecord File(string id, long created, string? owner = null) =>
        new() { Id = id, Owner = owner, CreatedAt = created, Data = $$"""{"id":"{{id}}","object":"file","bytes":12}""" };

    private static FineTuningJobRecord Job(string id, string? owner = null, string status = "validating_files", long created = 1_764_331_200) =>
        new() { Id = id, Owner = owner, Status = status, CreatedAt = created, Data = $$"""{"id":"{{id}}","status":"{{status}}","z":1,"a":2}""" };

    private static FineTuningJobItem Item(string id, string job, long created = 1_764_331_200) => new(id, job, created, $$"""{"id":"{{id}}","message":"m"}""");

    [StoreFact]
    public async Task Files_AddGetListDelete_RoundTripNewestFirstAndByOwner()
    {
        var store = Backend.OpenFineTuningStore();
        await store.AddFileAsync(File("file-old", 100, "key_a"));
        await store.AddFileAsync(File("file-new", 300, "key_b"));
        await store.AddFileAsync(File("file-open", 200));

        var file = await store.GetFileAsync("file-new");

        Assert.Equal(File("file-new", 300, "key_b"), file);
        Assert.Null(await store.GetFileAsync("file-missing"));
        Assert.Equal(["file-new", "file-open", "file-old"], (await store.ListFilesAsync(null)).Select(f => f.Id));
        Assert.Equal(["file-old"], (await store.ListFilesAsync("key_a")).Select(f => f.Id));
        Assert.True(await store.DeleteFileAsync("file-old"));
        Assert.False(await store.DeleteFileAsync("file-old"));
        Assert.Empty(await store.ListFilesAsync("key_a"));
    }

    [StoreFact]
    public async Task AddFileAsync_SameIdTwice_ThrowsStoreException()
    {
        var store = Backend.OpenFineTuningStore();
        await store.AddFileAsync(File("file-1", 100));

        await Assert.ThrowsAsync<ConversationStoreException>(() => store.AddFileAsync(File("file-1", 100)));
    }

    [StoreFact]
    public async Task Jobs_CreatedInOneSecond_ListNewestFirstInCreationOrderAndByOwner()
    {
        var store = Backend.OpenFineTuningStore();
        var first = await store.CreateJobAsync(Job("ftjob-b", "key_a"));
        var second = await store.CreateJobAsync(Job("ftjob-a", "key_b"));
        await store.CreateJobAsync(Job("ftjob-c"));

        Assert.True(second.Sequence > first.Sequence);
        Assert.Equal(["ftjob-c", "ftjob-a", "ftjob-b"], (await store.ListJobsAsync(null)).Select(j => j.Id));
        Assert.Equal(["ftjob-a"], (await store.ListJobsAsync("key_b")).Select(j => j.Id));
        var loaded = await store.GetJobAsync("ftjob-b");
        Assert.NotNull(loaded);
        Assert.Equal("key_a", loaded.Owner);
        Assert.Equal(Job("ftjob-b").Data, loaded.Data); // kept as written, key order too
        Assert.Null(await store.GetJobAsync("ftjob-missing"));
    }

    [StoreFact]
    public async Task UpdateJobAsync_ChangesStatusAndData_OrLeavesItWhenTheChangeIsNull()
    {
        var store = Backend.OpenFineTuningStore();
        await store.CreateJobAsync(Job("ftjob-1"));

        var (left, leftChanged) = await store.UpdateJobAsync("ftjob-1", _ => null);
        var (moved, movedChanged) = await store.UpdateJobAsync("ftjob-1", j => j with { Status = "running", Data = """{"status":"running"}""" });
        var (missing, missingChanged) = await store.UpdateJobAsync("ftjob-missing", j => j);

        Assert.False(leftChanged);
        Assert.Equal("validating_files", left!.Status);
        Assert.True(movedChanged);
        Assert.Equal("running", moved!.Status);
        var stored = await store.GetJobAsync("ftjob-1");
        Assert.Equal("running", stored!.Status);
        Assert.Equal("""{"status":"running"}""", stored.Data);
        Assert.Null(missing);
        Assert.False(missingChanged);
    }

    [StoreFact]
    public async Task UpdateJobAsync_ConcurrentChangesFromTwoStores_NoneIsLost()
    {
        var a = Backend.OpenFineTuningStore();
        var b = Backend.OpenFineTuningStore();
        await a.CreateJobAsync(Job("ftjob-1") with { Data = "0" });

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? a : b).UpdateJobAsync("ftjob-1", j => j with { Data = (int.Parse(j.Data, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) })));

        Assert.Equal("20", (await a.GetJobAsync("ftjob-1"))!.Data);
    }

    [StoreFact]
    public async Task EventsAndCheckpoints_ListNewestFirstPerJob_AndCheckpointsClear()
    {
        var store = Backend.OpenFineTuningStore();
        await store.CreateJobAsync(Job("ftjob-1"));
        await store.CreateJobAsync(Job("ftjob-2"));
        await store.AddEventAsync(Item("ftevent-1", "ftjob-1"));
        await store.AddEventAsync(Item("ftevent-2", "ftjob-1"));
        await store.AddEventAsync(Item("ftevent-3", "ftjob-2"));
        await store.AddCheckpointAsync(Item("ftckpt-1", "ftjob-1"));
        await store.AddCheckpointAsync(Item("ftckpt-2", "ftjob-1"));

        Assert.Equal(["ftevent-2", "ftevent-1"], (await store.ListEventsAsync("ftjob-1")).Select(e => e.Id));
        Assert.Equal(Item("ftevent-3", "ftjob-2"), Assert.Single(await store.ListEventsAsync("ftjob-2")));
        Assert.Equal(["ftckpt-2", "ftckpt-1"], (await store.ListCheckpointsAsync("ftjob-1")).Select(c => c.Id));
        await store.ClearCheckpointsAsync("ftjob-1");
        Assert.Empty(await store.ListCheckpointsAsync("ftjob-1"));
        Assert.Equal(2, (await store.ListEventsAsync("ftjob-1")).Count);
    }

    [StoreFact]
    public async Task ClaimNextJobAsync_OldestActiveFirst_SkipsLeasedAndEndedJobs()
    {
        var store = Backend.OpenFineTuningStore();
        await store.CreateJobAsync(Job("ftjob-done", status: "succeeded"));
        await store.CreateJobAsync(Job("ftjob-1"));
        await store.CreateJobAsync(Job("ftjob-2", status: "queued"));

        var first = await store.ClaimNextJobAsync("worker-a", Lease);
        var second = await store.ClaimNextJobAsync("worker-b", Lease);
        var none = await store.ClaimNextJobAsync("worker-c", Lease);

        Assert.Equal("ftjob-1", first!.Job.Id);
        Assert.Equal("worker-a", first.Job.LeaseHolder);
        Assert.Equal(Backend.Time.GetUtcNow() + Lease, first.Job.LeaseExpires);
        Assert.Equal(1, first.Job.Attempts);
        Assert.Null(first.PreviousHolder);
        Assert.Equal("ftjob-2", second!.Job.Id);
        Assert.Null(none);
        Assert.Equal("worker-a", (await store.GetJobAsync("ftjob-1"))!.LeaseHolder);
    }

    [StoreFact]
    public async Task ClaimNextJobAsync_LeaseRanOut_AnotherWorkerTakesItOverAndTheFirstCannotRenew()
    {
        var store = Backend.OpenFineTuningStore();
        await store.CreateJobAsync(Job("ftjob-1"));
        var first = await store.ClaimNextJobAsync("worker-a", Lease);
        Backend.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await store.RenewLeaseAsync("ftjob-1", "worker-a", Lease));
        Backend.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Null(await store.ClaimNextJobAsync("worker-b", Lease)); // renewed: still held
        Backend.Time.Advance(TimeSpan.FromSeconds(2));

        var takeover = await store.ClaimNextJobAsync("worker-b", Lease);

        Assert.NotNull(takeover);
        Assert.Equal("ftjob-1", takeover.Job.Id);
        Assert.Equal("worker-a", takeover.PreviousHolder);
        Assert.Equal(first!.Job.LeaseExpires!.Value + TimeSpan.FromSeconds(20), takeover.PreviousExpiry);
        Assert.Equal(2, takeover.Job.Attempts);
        Assert.False(await store.RenewLeaseAsync("ftjob-1", "worker-a", Lease));
        Assert.True(await store.RenewLeaseAsync("ftjob-1", "worker-b", Lease));
    }

    [StoreFact]
    public async Task RenewLeaseAsync_JobEnded_ReturnsFalseSoTheWorkerStops()
    {
        var worker = Backend.OpenFineTuningStore();
        var otherServer = Backend.OpenFineTuningStore();
        await worker.CreateJobAsync(Job("ftjob-1"));
        await worker.ClaimNextJobAsync("worker-a", Lease);

        var (cancelled, _) = await otherServer.UpdateJobAsync("ftjob-1", j => j with { Status = "cancelled" });

        Assert.Null(cancelled!.LeaseHolder);
        Assert.False(await worker.RenewLeaseAsync("ftjob-1", "worker-a", Lease));
        Assert.Null(await worker.ClaimNextJobAsync("worker-b", Lease));
    }

    [StoreFact]
    public async Task ReleaseLeaseAsync_JobIsFreeAtOnce_AsNotTakenOver()
    {
        var store = Backend.OpenFineTuningStore();
        await store.CreateJobAsync(Job("ftjob-1", status: "running"));
        await store.ClaimNextJobAsync("worker-a", Lease);
        await store.ReleaseLeaseAsync("ftjob-1", "worker-other", default); // not its lease: kept
        Assert.Null(await store.ClaimNextJobAsync("worker-b", Lease));

        await store.ReleaseLeaseAsync("ftjob-1", "worker-a");
        var again = await store.ClaimNextJobAsync("worker-b", Lease);

        Assert.NotNull(again);
        Assert.Null(again.PreviousHolder);
        Assert.Equal(1, again.Job.Attempts); // the start that ended with the job given back is not counted
    }

    /// <summary>A job that ends loses its lease (<see cref="IFineTuningStore.UpdateJobAsync"/>), so its worker's release afterwards changes nothing.</summary>
    [StoreFact]
    public async Task ReleaseLeaseAsync_AfterTheJobEnded_ChangesNothing()
    {
        var store = Backend.OpenFineTuningStore();
        await store.CreateJobAsync(Job("ftjob-1", status: "running"));
        await store.ClaimNextJobAsync("worker-a", Lease);
        await store.UpdateJobAsync("ftjob-1", j => j with { Status = "succeeded" });

        await store.ReleaseLeaseAsync("ftjob-1", "worker-a");

        var job = await store.GetJobAsync("ftjob-1");
        Assert.Equal(1, job!.Attempts);
        Assert.Null(job.LeaseHolder);
    }

    [StoreFact]
    public async Task ClaimNextJobAsync_WorkersOnTwoStoresClaimAtOnce_EachJobOnce()
    {
        var a = Backend.OpenFineTuningStore();
        var b = Backend.OpenFineTuningStore();
        for (var i = 0; i < 6; i++)
        {
            await a.CreateJobAsync(Job($"ftjob-{i}"));
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => (i % 2 == 0 ? a : b).ClaimNextJobAsync($"worker-{i}", Lease)));

        var claimed = claims.Where(c => c is not null).Select(c => c!.Job.Id).ToList();
        Assert.Equal(6, claimed.Count);
        Assert.Equal(6, claimed.Distinct().Count());
    }
}
