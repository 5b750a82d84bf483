using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Parley.Testing;

namespace Parley.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class ServerOptionsTests(ServerFixture server) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-server-options-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task CreateBuilder_ServerSection_BoundThenCodeWins()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "keys.txt"), "# keys\nsk-from-file\n");
        var builder = Builder(new()
        {
            ["Parley:Server:ApiKeys:0"] = "sk-config",
            ["Parley:Server:ApiKeysFile"] = "keys.txt",
            ["Parley:Server:RateLimitPerMinute"] = "70",
            ["Parley:Server:MaxRequestBodyBytes"] = "4096",
            ["Parley:Server:CorsOrigins:0"] = "https://a.example",
            ["Parley:Server:LogContent"] = "true",
            ["Parley:Server:ShutdownTimeoutSeconds"] = "5",
        }, o => o.LogContent = false);
        await using var app = builder.Build();

        var options = app.Services.GetRequiredService<IOptions<ParleyServerOptions>>().Value;

        Assert.Equal(["sk-config", "sk-from-file"], options.ApiKeys);
        Assert.Equal(70, options.RateLimitPermits);
        Assert.Equal(4096, options.MaxRequestBodyBytes);
        Assert.Equal(["https://a.example"], options.CorsOrigins);
        Assert.False(options.LogContent);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public async Task CreateBuilder_StreamLimits_BoundFromConfiguration()
    {
        var builder = Builder(new() { ["Parley:Server:StreamTimeout"] = "00:02:00", ["Parley:Server:StreamIdleTimeout"] = "00:00:15" });
        await using var app = builder.Build();

        var options = app.Services.GetRequiredService<IOptions<ParleyServerOptions>>().Value;

        Assert.Equal(TimeSpan.FromMinutes(2), options.StreamTimeout);
        Assert.Equal(TimeSpan.FromSeconds(15), options.StreamIdleTimeout);
    }

    [Fact]
    public async Task Start_InvalidConfiguredRateLimit_FailsNamingIt()
    {
        var builder = Builder(new() { ["Parley:Server:RateLimitPerMinute"] = "-5" });

        var error = Assert.Throws<OptionsValidationException>(() => ParleyServer.Build(builder));

        Assert.Contains("rate limit", error.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public void Start_MissingKeysFile_FailsNamingIt()
    {
        var builder = Builder(new() { ["Parley:Server:ApiKeysFile"] = "no-such-keys.txt" });

        var error = Assert.Throws<OptionsValidationException>(() => ParleyServer.Build(builder));

        Assert.Contains("no-such-keys.txt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_KeysFileWithoutKeys_FailsInsteadOfServingAnOpenApi()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "keys.txt"), "# the keys go here\n\n   \n");
        var builder = Builder(new() { ["Parley:Server:ApiKeysFile"] = "keys.txt" });

        var error = Assert.Throws<OptionsValidationException>(() => ParleyServer.Build(builder));

        Assert.Contains("keys.txt", error.Message, StringComparison.Ordinal);
        Assert.Contains("holds no keys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_NegativeAuthFailureLimit_FailsNamingIt()
    {
        var builder = Builder(new() { ["Parley:Server:AuthFailuresPerMinute"] = "-1" });

        var error = Assert.Throws<OptionsValidationException>(() => ParleyServer.Build(builder));

        Assert.Contains("failed-authentication limit", error.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Build_ApiEndpoints_AreRateLimitedAndHealthIsNot()
    {
        await using var app = await server.StartServerAsync(_ => { });

        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var api = endpoints.Where(e => e.RoutePattern.RawText!.StartsWith("/v1/", StringComparison.Ordinal) || e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal)).ToList();

        Assert.Contains(api, e => e.RoutePattern.RawText == "/v1/chat/completions");
        Assert.Contains(api, e => e.RoutePattern.RawText!.StartsWith("/api/sessions", StringComparison.Ordinal));
        Assert.All(api, e => Assert.NotNull(e.Metadata.GetMetadata<EnableRateLimitingAttribute>()));
        Assert.All(endpoints.Where(e => e.RoutePattern.RawText is "/healthz" or "/readyz"), e => Assert.Null(e.Metadata.GetMetadata<EnableRateLimitingAttribute>()));
    }

    private WebApplicationBuilder Builder(Dictionary<string, string?> settings, Action<ParleyServerOptions>? configure = null)
    {
        var builder = ParleyServer.CreateBuilder([], o =>
        {
            o.BotFolders.Add(TestPaths.ShopBot);
            configure?.Invoke(o);
        });
        builder.WebHost.UseTestServer();
        settings["Parley:BaseDirectory"] = _folder;
        settings["Parley:DataDirectory"] = _folder;
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }
}
