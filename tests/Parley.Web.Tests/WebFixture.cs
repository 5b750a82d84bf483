using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Parley.Server;
using Parley.Testing;

namespace Parley.Web.Tests;

/// <summary>
/// One Parley server on a real loopback port (the shop and assistant bots, offline, and <see cref="Llm"/> served as
/// the upstream model <see cref="Model"/>, behind an API key) and one headless Chromium, shared by the browser tests.
/// Chromium comes from Debian (<c>apt-get install -y chromium</c>; <c>.ci/run</c> installs it): without it the tests are
/// skipped with that instruction (<see cref="ChromiumFactAttribute"/>), or fail when <c>PARLEY_REQUIRE_CHROMIUM=1</c>.
/// </summary>
public sealed class WebFixture : IAsyncLifetime
{
    public const string ApiKey = "sk-web-test";

    public const string Model = "test-llm";

    /// <summary>The browser: <c>PARLEY_CHROMIUM</c>, else Debian's.</summary>
    public static string ChromiumPath => ChromiumTestBrowser.Path;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "parley-web-tests-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;
    private IPlaywright? _playwright;

    public TestChatClient Llm { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public string Database => Path.Combine(_folder, "parley.db");

    /// <summary>The server's services (its conversation store, for example).</summary>
    public IServiceProvider Services => _app!.Services;

    /// <summary>Where screenshots are saved: <c>PARLEY_TEST_ARTIFACTS</c>, else <c>artifacts/screenshots</c> next to the tests.</summary>
    public static string Artifacts { get; } = Path.GetFullPath(Environment.GetEnvironmentVariable("PARLEY_TEST_ARTIFACTS") is { Length: > 0 } folder
        ? folder
        : Path.Combine(AppContext.BaseDirectory, "artifacts", "screenshots"));

    public async Task InitializeAsync()
    {
        if (ChromiumTestBrowser.SkipReason is not null)
        {
            // Every test is skipped: start nothing.
            return;
        }

        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"{ChromiumTestBrowser.RequireVariable}=1 but Chromium is not installed at {ChromiumPath}. Install it with `apt-get install -y chromium` " +
                $"(Debian; .ci/run installs it when missing), or point {ChromiumTestBrowser.PathVariable} at a Chromium binary.");
        }

        Directory.CreateDirectory(_folder);
        Directory.CreateDirectory(Artifacts);
        var builder = ParleyServer.CreateBuilder(["--urls", "http://127.0.0.1:0"], options =>
        {
            options.BotFolders.Add(TestPaths.ShopBot);
            options.BotFolders.Add(TestPaths.AssistantBot);
            options.Upstream = Llm;
            options.UpstreamModel = Model;
            options.ApiKeys.Add(ApiKey);

            // The queue takes jobs created through the API at once (they wake it) and polls the store for others only
            // hourly here, so a job a test writes into the store itself (RunsTests) is not claimed while it is fed.
            options.FineTuningPollInterval = TimeSpan.FromHours(1);
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Parley:DataDirectory"] = _folder,
            ["Parley:Database"] = Database,
        });
        _app = ParleyServer.Build(builder);
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        Assertions.SetDefaultExpectTimeout(20_000);
    }

    /// <summary>A fresh browser context (its own storage) whose page keeps <paramref name="apiKey"/> as the API key.</summary>
    public async Task<IPage> NewPageAsync(string? apiKey = ApiKey, int width = 1280, int height = 860, ColorScheme colorScheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ColorScheme = colorScheme,
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        context.SetDefaultTimeout(20_000);
        if (apiKey is not null)
        {
            await context.AddInitScriptAsync($"if (!localStorage.getItem('parley.apiKey')) localStorage.setItem('parley.apiKey', '{apiKey}');");
        }

        var page = await context.NewPageAsync();
        // Script errors and failed requests go to a log beside the screenshots: a blank page then says why.
        var log = Path.Combine(Artifacts, "browser-console.log");
        page.PageError += (_, error) => File.AppendAllText(log, $"page error: {error}\n");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                File.AppendAllText(log, $"HTTP {response.Status}: {response.Request.Method} {response.Url}\n");
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                File.AppendAllText(log, $"console {message.Type}: {message.Text} ({message.Location})\n");
            }
        };
        return page;
    }

    /// <summary>Saves a screenshot of <paramref name="page"/> as a test artifact; returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(Artifacts, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public void ResetLlm()
    {
        Llm.GetResponseAsyncCallback = null;
        Llm.GetStreamingResponseAsyncCallback = null;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the shutting-down server; the temp folder is cleaned up by the system.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "web";
}
