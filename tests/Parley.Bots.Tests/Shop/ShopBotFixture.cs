using Parley.Bots.Packs;
using Parley.Nlu.Embeddings;

namespace Parley.Bots.Tests.Shop;

/// <summary>The shop sample built once, offline, with the real encoder.</summary>
public sealed class ShopBotFixture : IAsyncLifetime
{
    public MiniLmEmbeddingGenerator Embeddings { get; } = new();

    public Bot Bot { get; private set; } = null!;

    public Parley.Nlu.Intents.NearestExampleIntentClassifier Nearest { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var pack = await BotPackLoader.LoadAsync(Parley.Testing.TestPaths.ShopBot);
        Bot = await Bot.CreateAsync(pack, Embeddings);
        Nearest = await Parley.Nlu.Intents.NearestExampleIntentClassifier.CreateAsync(
            Embeddings, pack.Intents.SelectMany(i => i.Examples.Select(e => new Parley.Nlu.Intents.LabeledExample(e, i.Name))));
    }

    public Task DisposeAsync()
    {
        Embeddings.Dispose();
        return Task.CompletedTask;
    }
}
