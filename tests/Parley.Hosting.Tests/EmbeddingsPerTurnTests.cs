using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Parley.Nlu.Embeddings;
using Parley.Testing;

namespace Parley.Hosting.Tests;

/// <summary>
/// The similarity gate, the intent model and knowledge search each need the message's embedding: the recipe's
/// embedding cache must make that one encoding per text per turn, and none when the same text comes again.
/// </summary>
public sealed class EmbeddingsPerTurnTests : IDisposable
{
    private readonly TestHost _host = new();
    private readonly CountingEncoder _encoder = new(SharedSentenceEncoder.Get(Path.Combine(Path.GetTempPath(), "parley-test-encoder")));

    public void Dispose() => _host.Dispose();

    [Theory]
    [InlineData("how long does shipping take to norway?")]
    [InlineData("Hi, my kettle arrived yesterday and the lid is dented. It was a present for my mum. Can you replace it or refund me?")]
    [InlineData("hw do i retrun somethng i bought last wek")]
    public async Task Turn_OneMessage_EachTextIsEncodedOnceAndNotAgainNextTurn(string message)
    {
        await using var services = _host.Build(before: s => s.AddSingleton(sp => new EmbeddingGeneratorBuilder<string, Embedding<float>>(_encoder)
            .UseDiskCache(sp.GetRequiredService<ParleyDataFolder>().Cache)
            .Build()));
        var bot = await services.GetRequiredService<IBotFactory>().CreateAsync(TestPaths.ShopBot);
        _encoder.Texts.Clear();

        var first = await bot.ChatClient.GetResponseAsync(message);
        var encoded = _encoder.Texts.ToList();
        _encoder.Texts.Clear();
        var second = await bot.ChatClient.GetResponseAsync(message);

        Assert.NotEmpty(encoded);
        Assert.Contains(encoded, t => t.Contains(message.Split(' ')[1], StringComparison.OrdinalIgnoreCase));
        Assert.Equal(encoded.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), encoded.Order(StringComparer.Ordinal));
        Assert.Empty(_encoder.Texts);
        Assert.Equal(first.Text, second.Text);
    }

    /// <summary>Passes texts to the real encoder and records each one it was asked for.</summary>
    private sealed class CountingEncoder(IEmbeddingGenerator<string, Embedding<float>> inner) : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Texts { get; } = new();

        public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var texts = values.ToList();
            foreach (var text in texts)
            {
                Texts.Enqueue(text);
            }

            return base.GenerateAsync(texts, options, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            // The shared encoder belongs to the process.
        }
    }
}
