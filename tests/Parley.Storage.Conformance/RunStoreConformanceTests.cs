using System.Text.Json.Nodes;
using Parley.Core.Runs;

namespace Parley.Storage.Conformance;

/// <summary>What every <see cref="IRunStore"/> must do, run against each backend by a derived class.</summary>
public abstract class RunStoreConformanceTests(StoreBackend backend) : IAsyncLifetime
{
    protected StoreBackend Backend { get; } = backend;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Backend.DisposeAsync();

    private static RunRecord Run(string id, int minutes, string kind = "intent-model") => new()
    {
        Id = id,
        Kind = kind,
        Created = new DateTimeOffset(2026, 11, 28, 12, minutes, 0, TimeSpan.Zero),
        DataHash = "abc",
        ModelPath = "/models/" + id,
        Parameters = new JsonObject { ["seed"] = 42, ["lr"] = 0.01 },
        History = [new JsonObject { ["epoch"] = 1, ["val_accuracy"] = 0.9 }],
        Metrics = new JsonObject { ["accuracy"] = 0.95 },
    };

    [StoreFact]
    public async Task SaveAsync_ThenGet_RoundTripsEveryField()
    {
        var store = Backend.OpenRunStore();
        await store.SaveAsync(Run("r1", 1));

        var run = await store.GetAsync("r1");

        Assert.NotNull(run);
        Assert.Equal("intent-model", run.Kind);
        Assert.Equal("abc", run.DataHash);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 12, 1, 0, TimeSpan.Zero), run.Created);
        Assert.Equal("/models/r1", run.ModelPath);
        Assert.Equal("""{"seed":42,"lr":0.01}""", run.Parameters.ToJsonString()); // key order kept
        Assert.Equal(0.9, run.History[0]!["val_accuracy"]!.GetValue<double>());
        Assert.Equal(0.95, run.Metrics["accuracy"]!.GetValue<double>());
        Assert.Null(await store.GetAsync("missing"));
    }

    [StoreFact]
    public async Task ListAsync_NewestFirstAndFilteredByKind()
    {
        var store = Backend.OpenRunStore();
        await store.SaveAsync(Run("old", 1));
        await store.SaveAsync(Run("new", 5));
        await store.SaveAsync(Run("other", 3, kind: "response-model"));

        Assert.Equal(["new", "other", "old"], (await store.ListAsync()).Select(r => r.Id));
        Assert.Equal(["new", "old"], (await store.ListAsync("intent-model")).Select(r => r.Id));
        Assert.Single(await store.ListAsync(limit: 1));
    }

    [StoreFact]
    public async Task SaveAsync_SameId_Replaces()
    {
        var store = Backend.OpenRunStore();
        await store.SaveAsync(Run("r", 1));
        await store.SaveAsync(Run("r", 1) with { Metrics = new JsonObject { ["accuracy"] = 0.5 } });

        Assert.Equal(0.5, (await store.GetAsync("r"))!.Metrics["accuracy"]!.GetValue<double>());
        Assert.Single(await store.ListAsync());
    }

    [StoreFact]
    public async Task Database_SharedWithConversations_BothWork()
    {
        var conversations = Backend.OpenConversationStore();
        var runs = Backend.OpenRunStore();

        var conversation = await conversations.CreateAsync("shop");
        await runs.SaveAsync(Run("r", 1));

        Assert.NotNull(await conversations.GetAsync(conversation.Id));
        Assert.NotNull(await runs.GetAsync("r"));
    }
}
