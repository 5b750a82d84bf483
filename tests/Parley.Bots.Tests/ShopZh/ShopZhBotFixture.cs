using Parley.Bots.Packs;
using Parley.Nlu.Embeddings;
using Parley.Testing;

namespace Parley.Bots.Tests.ShopZh;

/// <summary>The Chinese shop sample built once, offline, as <c>parley chat</c> builds it: trained intent model, lexical knowledge.</summary>
public sealed class ShopZhBotFixture : IAsyncLifetime
{
    private readonly string _models = Directory.CreateTempSubdirectory("parley-shop-zh-models-").FullName;

    public static string PackFolder => Path.Combine(TestPaths.Root, "samples", "bots", "shop-zh");

    public MiniLmEmbeddingGenerator Embeddings { get; } = new();

    public Bot Bot { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var pack = await BotPackLoader.LoadAsync(PackFolder);
        Bot = await Bot.CreateAsync(pack, Embeddings, options: new BotBuildOptions { ModelsFolder = _models });
    }

    public Task DisposeAsync()
    {
        Embeddings.Dispose();
        Directory.Delete(_models, recursive: true);
        return Task.CompletedTask;
    }
}
