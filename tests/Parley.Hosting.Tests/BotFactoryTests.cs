using Microsoft.Extensions.DependencyInjection;
using Parley.Testing;

namespace Parley.Hosting.Tests;

public sealed class BotFactoryTests : IDisposable
{
    private readonly TestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task CreateAsync_ShopBot_TrainsItsIntentModelOnceIntoTheDataFolder()
    {
        await using (var services = _host.Build())
        {
            var bot = await services.GetRequiredService<IBotFactory>().CreateAsync(TestPaths.ShopBot);

            Assert.True(bot.Classifier.IsTrained);
            Assert.False(bot.UsesLlm);
        }

        await using (var services = _host.Build())
        {
            var again = await services.GetRequiredService<IBotFactory>().CreateAsync(TestPaths.ShopBot);
            Assert.True(again.Classifier.IsTrained);
        }

        Assert.NotEmpty(Directory.GetFileSystemEntries(Path.Combine(_host.DataDirectory, "models")));
        Assert.NotEmpty(Directory.GetFileSystemEntries(Path.Combine(_host.DataDirectory, "indexes")));
        Assert.Single(_host.Reporter.Events, e => e.StartsWith("training shop ", StringComparison.Ordinal));
        Assert.Single(_host.Reporter.Events, e => e == "trained shop");

        // The knowledge is indexed first (its words tell the intents' typo gate what is not a typo); "training" and
        // "trained" bracket the intent model alone, so its time excludes indexing.
        var events = _host.Reporter.Events;
        Assert.True(events.FindIndex(e => e.StartsWith("indexing shop ", StringComparison.Ordinal)) < events.FindIndex(e => e.StartsWith("training shop ", StringComparison.Ordinal)), string.Join(" | ", events));
        Assert.True(events.FindIndex(e => e.StartsWith("training shop ", StringComparison.Ordinal)) < events.IndexOf("trained shop"), string.Join(" | ", events));
    }

    [Fact]
    public async Task CreateAsync_EndpointConfigured_GeneratesWithTheConfiguredModel()
    {
        await using var services = _host.Build(new() { ["OpenAI:BaseUrl"] = "http://127.0.0.1:9/v1", ["OpenAI:Model"] = "llama3.2" });

        var bot = await services.GetRequiredService<IBotFactory>().CreateAsync(TestPaths.ShopBot);

        Assert.True(bot.UsesLlm);
        Assert.Equal("llama3.2", bot.ModelId);
        Assert.True(bot.Classifier.IsTrained);
    }

    [Fact]
    public async Task CreateAsync_EndpointWithoutModel_UsesTheBotsModel()
    {
        await using var services = _host.Build(new() { ["OpenAI:ApiKey"] = "sk-test" });

        var bot = await services.GetRequiredService<IBotFactory>().CreateAsync(TestPaths.ShopBot);

        Assert.True(bot.UsesLlm);
        Assert.Equal(bot.Pack.Manifest.Model.Id ?? LlmEndpointOptions.DefaultModel, bot.ModelId);
    }

    [Fact]
    public async Task CreateAsync_MissingFolder_FailsNamingIt()
    {
        await using var services = _host.Build();
        var missing = Path.Combine(_host.DataDirectory, "no-such-bot");

        var error = await Assert.ThrowsAsync<Parley.Bots.Packs.BotPackException>(() => services.GetRequiredService<IBotFactory>().CreateAsync(missing));

        Assert.Contains("no-such-bot", error.Message, StringComparison.Ordinal);
    }
}
