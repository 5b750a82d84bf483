using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;
using Parley.Cli.Commands;
using Parley.Cli.Hosting;
using Parley.Server;

namespace Parley.Cli.Tests;

public sealed class ServeCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Serve_ConfiguredByEnvironment_AnswersOpenAIClientsAndStopsCleanly()
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        _cli.Environment["Parley__Server__Urls"] = url;
        _cli.Environment["Parley__Server__ApiKeys__0"] = "sk-serve-test";
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var serving = _cli.RunAsync(["serve", "--rate-limit", "1000"], cancellationToken: stop.Token);
        using var http = new HttpClient { BaseAddress = new Uri(url) };

        await WaitUntilReadyAsync(http, serving);
        var client = new OpenAIClient(new ApiKeyCredential("sk-serve-test"), new OpenAIClientOptions { Endpoint = new Uri(url + "/v1"), RetryPolicy = new ClientRetryPolicy(0) });
        var models = (await client.GetOpenAIModelClient().GetModelsAsync()).Value;
        var completion = (await client.GetChatClient("shop").CompleteChatAsync([new UserChatMessage("how long does shipping take?")])).Value;
        var unauthorized = await http.GetAsync("/v1/models");
        await stop.CancelAsync();
        var result = await serving;

        Assert.Contains(models, m => m.Id == "shop");
        Assert.Contains(models, m => m.Id == "all-MiniLM-L6-v2");
        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        result.AssertSucceeded();
        Assert.Contains($"on {url}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskThenServe_FreshDataFolder_ServeReusesTheIntentModelAskTrained()
    {
        var data = Directory.CreateTempSubdirectory("parley-cli-recipe-").FullName;
        try
        {
            _cli.Environment["PARLEY_DATA_DIR"] = data;
            var ask = await _cli.RunAsync(["ask", "--json", "how long does shipping take?"]);
            var url = $"http://127.0.0.1:{FreePort()}";
            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var serving = _cli.RunAsync(["serve", "--urls", url], cancellationToken: stop.Token);
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            await WaitUntilReadyAsync(http, serving);
            var client = new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(url + "/v1"), RetryPolicy = new ClientRetryPolicy(0) });
            var completion = (await client.GetChatClient("shop").CompleteChatAsync([new UserChatMessage("how long does shipping take?")])).Value;
            await stop.CancelAsync();
            var served = await serving;

            ask.AssertSucceeded();
            Assert.Contains("Training the intent model of bot 'shop'", ask.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("Training the intent model", served.Error, StringComparison.Ordinal);
            Assert.Equal(ask.Json().GetProperty("reply").GetString(), completion.Content[0].Text);
            Assert.Equal(1, Parley.Hosting.SharedSentenceEncoder.InstancesCreated);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Serve_AssistantBot_EachSessionKeepsItsOwnCalendar()
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var serving = _cli.RunAsync(["serve", "--urls", url, "--bot", Parley.Testing.TestPaths.AssistantBot], cancellationToken: stop.Token);
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        await WaitUntilReadyAsync(http, serving);

        var asked = await SayAsync(http, "cal-a", "book a dentist appointment tomorrow at 10");
        var booked = await SayAsync(http, "cal-a", "yes");
        var other = await SayAsync(http, "cal-b", "what's on my calendar tomorrow?");
        var own = await SayAsync(http, "cal-a", "what's on my calendar tomorrow?");
        await stop.CancelAsync();
        await serving;

        Assert.Contains("Shall I go ahead?", asked, StringComparison.Ordinal);
        Assert.StartsWith("Booked event 1, dentist appointment", booked, StringComparison.Ordinal);
        Assert.Contains("free", other, StringComparison.Ordinal);
        Assert.Contains("dentist appointment", own, StringComparison.Ordinal);
    }

    private static async Task<string> SayAsync(HttpClient http, string session, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { model = "assistant", messages = new[] { new { role = "user", content = text } } }),
        };
        request.Headers.Add("X-Parley-Session", session);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }

    [Fact]
    public async Task Serve_InvalidConfiguredRateLimit_FailsBeforeServing()
    {
        _cli.Environment["Parley__Server__RateLimitPerMinute"] = "-1";

        var result = await _cli.RunAsync(["serve", "--urls", $"http://127.0.0.1:{FreePort()}"]);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("invalid server settings", result.Error, StringComparison.Ordinal);
        Assert.Contains("rate limit", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateBuilder_AppSettingsEnvironmentAndFlags_LaterSourcesWinAndFlagListsReplace()
    {
        var dir = Directory.CreateTempSubdirectory("parley-serve-settings-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "keys.txt"), "# keys\nsk-from-file\n");
            await File.WriteAllTextAsync(Path.Combine(dir, "appsettings.json"), """
                {"Parley":{"Server":{"Urls":"http://127.0.0.1:9001","ApiKeys":["sk-json","sk-json-2"],"ApiKeysFile":"keys.txt","RateLimitPerMinute":50,
                  "MaxRequestBodyBytes":4096,"CorsOrigins":["https://a.example"],"LogContent":true,"ShutdownTimeoutSeconds":5}}}
                """);
            var context = Context(dir, new() { ["Parley__Server__RateLimitPerMinute"] = "70", ["Parley__Server__CorsOrigins__0"] = "https://b.example", ["PARLEY_DATA_DIR"] = dir });
            var flags = new FlagSettings().Set("Parley:Server:Urls", "http://127.0.0.1:9002").SetList("Parley:Server:ApiKeys", ["sk-flag"]).Set("Parley:Server:LogContent", false);

            var settings = SettingsLoader.Load(context, flags);
            await using var app = ServeCommand.CreateBuilder(context, settings, [Parley.Testing.TestPaths.ShopBot], "http://127.0.0.1:9002").Build();
            var options = app.Services.GetRequiredService<IOptions<ParleyServerOptions>>().Value;

            Assert.Equal("http://127.0.0.1:9002", settings.Configuration["Parley:Server:Urls"]);
            Assert.Equal(["sk-flag", "sk-from-file"], options.ApiKeys);
            Assert.Equal(70, options.RateLimitPermits);
            Assert.Equal(4096, options.MaxRequestBodyBytes);
            Assert.Equal(["https://b.example"], options.CorsOrigins);
            Assert.False(options.LogContent);
            Assert.Equal(TimeSpan.FromSeconds(5), options.ShutdownTimeout);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task CreateBuilder_NothingConfigured_ServerDefaults()
    {
        var context = Context(_cli.Directory, new() { ["PARLEY_DATA_DIR"] = _cli.Directory });
        await using var app = ServeCommand.CreateBuilder(context, SettingsLoader.Load(context), [Parley.Testing.TestPaths.ShopBot], ServeCommand.DefaultUrls).Build();

        var options = app.Services.GetRequiredService<IOptions<ParleyServerOptions>>().Value;

        Assert.Empty(options.ApiKeys);
        Assert.Equal(ParleyServerOptions.DefaultRateLimitPermits, options.RateLimitPermits);
        Assert.Equal(ParleyServerOptions.DefaultMaxRequestBodyBytes, options.MaxRequestBodyBytes);
        Assert.False(options.LogContent);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ShutdownTimeout);
    }

    [Fact]
    public async Task Serve_MissingKeysFile_FailsNamingIt()
    {
        var result = await _cli.RunAsync(["serve", "--urls", $"http://127.0.0.1:{FreePort()}", "--api-keys-file", "no-such-keys.txt"]);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("no-such-keys.txt", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_DataFolderItCannotWrite_ExitsWithFailureSayingWhy()
    {
        var data = Directory.CreateTempSubdirectory("parley-cli-blocked-").FullName;
        try
        {
            // A file where the fine-tuning folder should be: the server cannot start.
            await File.WriteAllTextAsync(Path.Combine(data, "fine-tuning"), "not a folder");
            _cli.Environment["PARLEY_DATA_DIR"] = data;

            var result = await _cli.RunAsync(["serve", "--urls", $"http://127.0.0.1:{FreePort()}"]);

            Assert.Equal(ExitCodes.Failure, result.ExitCode);
            Assert.Contains("parley: could not start the server:", result.Error, StringComparison.Ordinal);
            Assert.Contains("fine-tuning", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Error.Split("parley:")[^1], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task FailedService_BackgroundServiceThatThrew_IsReportedAndHealthyOnesAreNot()
    {
        var healthy = new ServiceCollection().AddHostedService<QuietService>().BuildServiceProvider();
        var failing = new ServiceCollection().AddHostedService<QuietService>().AddHostedService<FailingService>().BuildServiceProvider();
        foreach (var provider in new[] { healthy, failing })
        {
            foreach (var service in provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>())
            {
                await service.StartAsync(CancellationToken.None);
            }

            foreach (var service in provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Microsoft.Extensions.Hosting.BackgroundService>())
            {
                await Task.WhenAny(service.ExecuteTask!);
            }
        }

        Assert.Null(ServeCommand.FailedService(healthy));
        Assert.Equal("the job record is damaged", ServeCommand.FailedService(failing)?.Message);
    }

    private sealed class QuietService : Microsoft.Extensions.Hosting.BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
    }

    private sealed class FailingService : Microsoft.Extensions.Hosting.BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new InvalidDataException("the job record is damaged");
        }
    }

    private static CliContext Context(string directory, Dictionary<string, string> environment) => new()
    {
        In = TextReader.Null,
        Out = TextWriter.Null,
        Error = TextWriter.Null,
        Environment = environment,
        CurrentDirectory = directory,
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitUntilReadyAsync(HttpClient http, Task<CliResult> serving)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (serving.IsCompleted)
            {
                var result = await serving;
                Assert.Fail($"parley serve exited with {result.ExitCode} before it was ready:\n{result.Error}");
            }

            try
            {
                using var ready = await http.GetAsync("/readyz");
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        Assert.Fail("parley serve was not ready within 2 minutes");
    }
}
