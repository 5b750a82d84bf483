using Microsoft.Extensions.AI;
using Parley.Bots.Packs;
using Parley.Nlu.Embeddings;
using Parley.Retrieval.Indexing;

namespace Parley.Bots.Tests.Knowledge;

/// <summary>A pack's <c>knowledge_encoder</c>: its knowledge is embedded and searched with that model, queries with its prefix.</summary>
public sealed class KnowledgeEncoderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("parley-kbenc-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Pack(string? encoder)
    {
        var pack = Path.Combine(_root, "pack");
        Directory.CreateDirectory(Path.Combine(pack, "intents"));
        Directory.CreateDirectory(Path.Combine(pack, "knowledge"));
        File.WriteAllText(Path.Combine(pack, "bot.yaml"), $"name: kettles\n{(encoder is null ? "" : $"knowledge_encoder: {encoder}\n")}thresholds:\n  knowledge: 0.3\n");
        File.WriteAllText(Path.Combine(pack, "intents", "hello.yaml"), "intents:\n  - name: hello\n    examples: [hello, hi there, good morning]\n    response: Hello!\n");
        File.WriteAllText(Path.Combine(pack, "knowledge", "descaling.md"), "# Descaling\n\nDescale your kettle every month with citric acid: fill it halfway, boil, leave it for an hour and rinse twice.\n");
        File.WriteAllText(Path.Combine(pack, "knowledge", "warranty.md"), "# Warranty\n\nEvery kettle has a two-year warranty against faults. Keep your receipt as proof of purchase.\n");
        return pack;
    }

    [Fact]
    public async Task ArcticPack_IndexRecordsTheEncoder_AndQueriesCarryItsPrefix()
    {
        var pack = await BotPackLoader.LoadAsync(Pack("snowflake-arctic-embed-xs"));
        Assert.Same(SentenceEncoderModel.ArcticXs, pack.Manifest.KnowledgeEncoder);
        var seen = new List<string>();
        using var intents = new MiniLmEmbeddingGenerator(intraOpThreads: 1);
        var indexes = Path.Combine(_root, "indexes");

        await using var bot = await Bot.CreateAsync(pack, intents, options: new BotBuildOptions
        {
            KnowledgeIndexesFolder = indexes,
            KnowledgeEncoder = model => new Recording(new MiniLmEmbeddingGenerator(new EncoderOptions { Model = model, Threads = 1 }), seen),
        });
        var hits = await bot.Knowledge.SearchAsync("how often should I descale my kettle?");

        Assert.Equal("descaling.md", hits[0].Passage.Source);
        Assert.Contains(seen, t => t == SentenceEncoderModel.ArcticXs.QueryPrefix + "how often should I descale my kettle?");
        Assert.Contains(seen, t => t.StartsWith("Descale your kettle", StringComparison.Ordinal) || t.Contains("Descale your kettle", StringComparison.Ordinal));
        Assert.DoesNotContain(seen, t => t.StartsWith(SentenceEncoderModel.ArcticXs.QueryPrefix!, StringComparison.Ordinal) && t.Contains("citric acid", StringComparison.Ordinal));
        var manifest = await File.ReadAllTextAsync(Directory.GetFiles(indexes, KnowledgeIndexStore.ManifestFileName, SearchOption.AllDirectories).Single());
        Assert.Contains("snowflake-arctic-embed-xs", manifest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DefaultPack_SearchesWithMiniLm()
    {
        var pack = await BotPackLoader.LoadAsync(Pack(null));

        Assert.Same(SentenceEncoderModel.MiniLm, pack.Manifest.KnowledgeEncoder);
    }

    [Fact]
    public async Task UnknownEncoder_IsAPackErrorNamingTheFieldAndLine()
    {
        var error = await Assert.ThrowsAsync<BotPackException>(() => BotPackLoader.LoadAsync(Pack("bge-small")));

        Assert.Contains("bot.yaml:2", error.Message, StringComparison.Ordinal);
        Assert.Contains("knowledge_encoder", error.Message, StringComparison.Ordinal);
        Assert.Contains("snowflake-arctic-embed-xs", error.Message, StringComparison.Ordinal);
    }

    private sealed class Recording(IEmbeddingGenerator<string, Embedding<float>> inner, List<string> seen) : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
    {
        public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var texts = values.ToList();
            lock (seen)
            {
                seen.AddRange(texts);
            }

            return base.GenerateAsync(texts, options, cancellationToken);
        }
    }
}
