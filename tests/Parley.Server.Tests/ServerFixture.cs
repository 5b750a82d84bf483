using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.AI;
using OpenAI;
using Parley.Bots;
using Parley.Bots.Packs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Parley.Hosting;
using Parley.Nlu.Embeddings;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>
/// One in-memory server per test class: the shop bot with <see cref="Llm"/> as its LLM, so replies that no
/// template or passage answers come from a double the tests control.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const string ApiKey = "sk-test-key";

    public const long MaxBodyBytes = 64 * 1024;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "parley-server-tests-" + Guid.NewGuid().ToString("N"));
    private static readonly MiniLmEmbeddingGenerator Encoder = new();

    /// <summary>The in-process encoder the fixture's servers use.</summary>
    public static MiniLmEmbeddingGenerator SharedEncoder => Encoder;
    private WebApplication _app = null!;

    public TestChatClient Llm { get; } = new();

    public HttpClient Http { get; private set; } = null!;

    public OpenAIClient OpenAI { get; private set; } = null!;

    public string BotModel => "shop";

    /// <summary>The in-memory server's services, for tests that reach past the API (its conversation store).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The served bot, for a second server that must not load it again.</summary>
    public Bot Bot { get; private set; } = null!;

    /// <summary>
    /// Starts a real Kestrel server on a loopback port serving <see cref="Bot"/>, for behaviour the in-memory server
    /// does not reproduce (a client that disconnects). Dispose it when done.
    /// </summary>
    public async Task<WebApplication> StartLoopbackServerAsync(Action<ParleyServerOptions>? configure = null)
    {
        var builder = ParleyServer.CreateBuilder(["--urls", "http://127.0.0.1:0"], options =>
        {
            options.BotFolders.Add(TestPaths.ShopBot);
            configure?.Invoke(options);
        });
        UseTestServices(builder, "loopback.db", (_, _) => Task.FromResult(Bot));
        var app = ParleyServer.Build(builder);
        await app.StartAsync();
        return app;
    }

    /// <summary>
    /// Starts a second in-memory server serving <see cref="Bot"/>, with options changed by <paramref name="configure"/>
    /// (tiny rate limits, CORS, an upstream model). Dispose it when done.
    /// </summary>
    public async Task<WebApplication> StartServerAsync(Action<ParleyServerOptions> configure, Action<WebApplicationBuilder>? configureBuilder = null)
    {
        var builder = ParleyServer.CreateBuilder([], options =>
        {
            options.BotFolders.Add(TestPaths.ShopBot);
            configure(options);
        });
        builder.WebHost.UseTestServer();
        UseTestServices(builder, Guid.NewGuid().ToString("N") + ".db", (_, _) => Task.FromResult(Bot));
        configureBuilder?.Invoke(builder);
        var app = ParleyServer.Build(builder);
        await app.StartAsync();
        return app;
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var builder = ParleyServer.CreateBuilder([], options =>
        {
            options.MaxRequestBodyBytes = MaxBodyBytes;
            options.BotFolders.Add(TestPaths.ShopBot);
            options.ApiKeys.Add(ApiKey);

            // Many tests share this server and send wrong keys on purpose; the throttle has its own tests.
            options.AuthFailuresPerMinute = 0;
        });
        builder.WebHost.UseTestServer();
        UseTestServices(builder, "parley.db", async (folder, ct) => Bot = await Bot.CreateAsync(await BotPackLoader.LoadAsync(folder, ct), Encoder, Llm, cancellationToken: ct));
        _app = ParleyServer.Build(builder);
        await _app.StartAsync();
        Http = _app.GetTestClient();
        Http.DefaultRequestHeaders.Authorization = new("Bearer", ApiKey);
        OpenAI = CreateClient(ApiKey);
    }

    /// <summary>
    /// Points a server at the fixture's folder and database, the shared test encoder and a bot factory of the test's own
    /// (registered after the server's, so they replace them).
    /// </summary>
    private void UseTestServices(WebApplicationBuilder builder, string database, Func<string, CancellationToken, Task<Bot>> createBot)
    {
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Parley:DataDirectory"] = _folder,
            ["Parley:Database"] = Path.Combine(_folder, database),
        });
        builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(Encoder);
        builder.Services.AddSingleton<IBotFactory>(new TestBotFactory(createBot));
    }

    /// <summary>An OpenAI SDK client that talks to the in-memory server with <paramref name="apiKey"/>.</summary>
    public OpenAIClient CreateClient(string apiKey) => CreateClient(_app, apiKey);

    /// <summary>An OpenAI SDK client that talks to the in-memory server <paramref name="app"/> with <paramref name="apiKey"/>.</summary>
    public static OpenAIClient CreateClient(WebApplication app, string apiKey)
    {
        var http = app.GetTestClient();
        return new OpenAIClient(new ApiKeyCredential(apiKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/v1"),
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });
    }

    /// <summary>Restores the LLM double's default behaviour (echo).</summary>
    public void ResetLlm()
    {
        Llm.GetResponseAsyncCallback = null;
        Llm.GetStreamingResponseAsyncCallback = null;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
