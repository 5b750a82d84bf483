#pragma warning disable OPENAI001 // the SDK's fine-tuning API is experimental
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.FineTuning;
using Parley.Nlu.Embeddings;

namespace Parley.Server.Tests.FineTuning;

/// <summary>In-memory servers over one temporary fine-tuning folder and database (one per test), with the OpenAI SDK as client.</summary>
internal sealed class FineTuningHost(ServerFixture server) : IAsyncDisposable
{
    public const string BaseModel = "all-MiniLM-L6-v2";

    public static readonly MiniLmEmbeddingGenerator Encoder = new();

    private readonly List<WebApplication> _apps = [];

    public string Folder { get; } = Directory.CreateTempSubdirectory("parley-fine-tuning-").FullName;

    /// <summary>The SQLite database of the host's servers (a restarted server finds its jobs there).</summary>
    public string Database => Path.Combine(Folder, "parley.db");

    /// <summary>Starts a server over <see cref="Folder"/>; give a gated encoder to hold jobs in training.</summary>
    public async Task<(WebApplication App, OpenAIClient Client)> StartAsync(
        IEmbeddingGenerator<string, Embedding<float>>? embeddings = null, Action<ParleyServerOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var app = await server.StartServerAsync(
            o =>
            {
                o.FineTuningDirectory = Folder;
                configure?.Invoke(o);
            },
            b =>
            {
                b.Services.AddSingleton(embeddings ?? Encoder);
                b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Parley:Database"] = Database });
                services?.Invoke(b.Services);
            });
        _apps.Add(app);
        return (app, ServerFixture.CreateClient(app, "unused"));
    }

    /// <summary>The servers started, in order.</summary>
    public IReadOnlyList<WebApplication> Apps => _apps;

    public static HttpClient Http(WebApplication app) => app.GetTestClient();

    /// <summary>Polls the job until it satisfies <paramref name="until"/> (default: finished).</summary>
    public static async Task<FineTuningJob> WaitAsync(FineTuningClient client, string jobId, Func<FineTuningJob, bool>? until = null, int seconds = 90)
    {
        until ??= j => j.Status == FineTuningStatus.Succeeded || j.Status == FineTuningStatus.Failed || j.Status == FineTuningStatus.Cancelled;
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var job = await client.GetJobAsync(jobId);
            if (until(job))
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"job {jobId} is still {job.Status} after {seconds} s");
            await Task.Delay(100);
        }
    }

    /// <summary>The job as the server wrote it (the SDK has no property for <c>fine_tuned_model</c> or <c>error</c>'s details).</summary>
    public static JsonObject Raw(FineTuningJob job) => JsonNode.Parse(job.GetRawResponse().Content.ToString())!.AsObject();

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            // Stopping waits for the fine-tuning queue to wind its jobs down; disposing alone only signals them, and a
            // job still saving its model (model.new-…) raced the folder's deletion below (DirectoryNotFoundException).
            await app.StopAsync();
            await app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
