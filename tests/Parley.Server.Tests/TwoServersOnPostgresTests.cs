using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Parley.Hosting;
using Parley.Storage.Conformance;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>
/// Two servers on real loopback ports sharing one PostgreSQL database, as two machines behind a load balancer would:
/// each has its own connection pools and session gates, so only the database connects them.
/// </summary>
[Collection(ServerCollection.Name)]
[PostgresRequired]
public sealed class TwoServersOnPostgresTests(ServerFixture server) : IAsyncLifetime
{
    private readonly string _database = PostgresTestServer.NewDatabaseName();
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-two-servers-").FullName;
    private readonly List<WebApplication> _apps = [];
    private readonly List<HttpClient> _clients = [];
    private string _connectionString = null!;

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.SkipReason is not null)
        {
            return;
        }

        _connectionString = await PostgresTestServer.CreateDatabaseAsync(_database);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        server.ResetLlm();
        if (_connectionString is not null)
        {
            await PostgresTestServer.DropDatabaseAsync(_database);
        }

        Directory.Delete(_folder, recursive: true);
    }

    [StoreFact]
    public async Task Conversation_StartedOnA_ContinuesOnB()
    {
        IReadOnlyList<string> seen = [];
        server.Llm.GetResponseAsyncCallback = (messages, _, _) =>
        {
            seen = [.. messages.Select(m => m.Text)];
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "echo")));
        };
        var (a, b) = await StartTwoAsync();
        var id = "s-" + Guid.NewGuid().ToString("N");

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(a, id, "hello")).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(b, id, "zqx vlorp on the second server")).Status);

        foreach (var client in new[] { a, b })
        {
            var session = await client.GetFromJsonAsync<JsonNode>($"/api/sessions/{id}");
            var messages = session!["messages"]!.AsArray();
            Assert.Equal(["user", "assistant", "user", "assistant"], messages.Select(m => (string?)m!["role"]));
            Assert.Equal(["hello", "zqx vlorp on the second server"], new[] { messages[0], messages[2] }.Select(m => (string?)m!["content"]));
        }

        // B's turn saw A's: the LLM got the whole history.
        Assert.Contains("hello", seen);
    }

    [StoreFact]
    public async Task ConcurrentTurnsOnOneSession_FromBothServers_RunOneAtATimeAndKeepEveryTurnInOrder()
    {
        var running = 0;
        var overlapped = false;
        server.Llm.GetResponseAsyncCallback = async (messages, _, ct) =>
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            await Task.Delay(50, ct);
            Interlocked.Decrement(ref running);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "answer to " + messages.Last().Text));
        };
        var (a, b) = await StartTwoAsync();
        var id = "s-" + Guid.NewGuid().ToString("N");
        const int PerServer = 6;

        var replies = await Task.WhenAll(Enumerable.Range(0, PerServer * 2).Select(i =>
            PostAsync(i % 2 == 0 ? a : b, id, $"zqx vlorp question {i} via {(i % 2 == 0 ? "A" : "B")}")));

        Assert.All(replies, r => Assert.True(r.Status == HttpStatusCode.OK, r.Body));
        Assert.False(overlapped, "two turns of one session ran at the same time on the two servers");
        var messages = (await b.GetFromJsonAsync<JsonNode>($"/api/sessions/{id}"))!["messages"]!.AsArray();
        Assert.Equal(PerServer * 4, messages.Count);
        for (var i = 0; i < messages.Count; i += 2)
        {
            Assert.Equal("user", (string?)messages[i]!["role"]);
            Assert.Equal("answer to " + (string?)messages[i]!["content"], (string?)messages[i + 1]!["content"]);
        }

        Assert.Equal(PerServer * 2, messages.Where((_, i) => i % 2 == 0).Select(m => (string?)m!["content"]).Distinct().Count());
    }

    [StoreFact]
    public async Task RateLimit_OneKeyOnBothServers_CountsOnceAcrossThem()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 12, 0, 10, TimeSpan.Zero));
        var (a, b) = await StartTwoAsync(options =>
        {
            options.ApiKeys.Add(ServerFixture.ApiKey);
            options.RateLimitPermits = 3;
            options.TimeProvider = clock;
        });
        foreach (var client in new[] { a, b })
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", ServerFixture.ApiKey);
        }

        var statuses = new List<HttpStatusCode>();
        foreach (var client in new[] { a, b, a, b, a })
        {
            using var response = await client.GetAsync("/v1/models");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal(TimeSpan.FromSeconds(50), response.Headers.RetryAfter?.Delta);
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        clock.Advance(TimeSpan.FromMinutes(1));
        using var nextWindow = await b.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.OK, nextWindow.StatusCode);
    }

    [StoreFact]
    public async Task Runs_RecordedInTheSharedDatabase_AreListedByEitherServer()
    {
        var (a, b) = await StartTwoAsync();
        await using (var runs = new Parley.Storage.Postgres.PostgresRunStore(new() { ConnectionString = _connectionString }))
        {
            await runs.SaveAsync(new Parley.Core.Runs.RunRecord { Id = "run-shared-1", Kind = "intent-model", Created = DateTimeOffset.UtcNow });
        }

        foreach (var client in new[] { a, b })
        {
            using var response = await client.GetAsync("/api/runs");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            Assert.Contains("run-shared-1", body);
        }
    }

    // Both start at once on an empty database: the first requests race through the migrations.
    private async Task<(HttpClient A, HttpClient B)> StartTwoAsync(Action<ParleyServerOptions>? configure = null)
    {
        var apps = await Task.WhenAll(StartAsync("a", configure), StartAsync("b", configure));
        var clients = apps.Select(app => new HttpClient { BaseAddress = new Uri(app.Urls.First()) }).ToArray();
        _clients.AddRange(clients);
        return (clients[0], clients[1]);
    }

    private async Task<WebApplication> StartAsync(string name, Action<ParleyServerOptions>? configure)
    {
        var builder = ParleyServer.CreateBuilder(["--urls", "http://127.0.0.1:0"], options =>
        {
            options.BotFolders.Add(TestPaths.ShopBot);
            configure?.Invoke(options);
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Parley:DataDirectory"] = Path.Combine(_folder, name),
            ["Parley:Database"] = _connectionString,
        });
        builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(ServerFixture.SharedEncoder);
        builder.Services.AddSingleton<IBotFactory>(new TestBotFactory((_, _) => Task.FromResult(server.Bot)));
        var app = ParleyServer.Build(builder);
        await app.StartAsync();
        _apps.Add(app);
        return app;
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient client, string session, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["model"] = "shop",
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = text }),
            }),
        };
        request.Headers.TryAddWithoutValidation("X-Parley-Session", session);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
