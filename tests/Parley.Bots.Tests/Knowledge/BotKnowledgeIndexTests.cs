using Microsoft.Extensions.AI;
using Parley.Bots.Packs;
using Parley.Bots.Replies;
using Parley.Nlu.Embeddings;
using Parley.Retrieval.Indexing;

namespace Parley.Bots.Tests.Knowledge;

public sealed class BotKnowledgeIndexTests : IDisposable
{
    private static readonly MiniLmEmbeddingGenerator Encoder = new(intraOpThreads: 1);

    private readonly string _root = Directory.CreateTempSubdirectory("parley-botkb-").FullName;
    private readonly RecordingEmbeddings _embeddings = new(Encoder);

    public BotKnowledgeIndexTests()
    {
        Write("pack/bot.yaml", "name: kettles\npersona: You help with kettles.\nthresholds:\n  intent: 0.9\n  knowledge: 0.45\nfallback: I don't know that, sorry.\n");
        Write("pack/intents/hello.yaml", "intents:\n  - name: hello\n    examples: [hello, hi there, good morning]\n    response: Hello!\n");
        Write("pack/knowledge/descaling.md", "# Descaling\n\nDescale your kettle every month with citric acid: fill it halfway, boil, leave it for an hour and rinse twice.\n");
        Write("pack/knowledge/warranty.md", "# Warranty\n\nEvery kettle has a two-year warranty against faults. Keep your receipt as proof of purchase.\n");
    }

    private string Indexes => Path.Combine(_root, "indexes");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private async Task<Bot> CreateAsync(List<string>? warnings = null, bool hybrid = false)
    {
        var pack = await BotPackLoader.LoadAsync(Path.Combine(_root, "pack"));
        return await Bot.CreateAsync(pack, _embeddings, options: new BotBuildOptions
        {
            KnowledgeIndexesFolder = Indexes,
            HybridKnowledge = hybrid,
            KnowledgeProgress = new SyncProgress(p =>
            {
                if (p.Warning is not null)
                {
                    warnings?.Add(p.Warning);
                }
            }),
        });
    }

    private string IndexFolder => Assert.Single(Directory.GetDirectories(Indexes));

    private static async Task<(string Text, BotReplyInfo Info)> AskAsync(Bot bot, string question)
    {
        var response = await bot.ChatClient.GetResponseAsync([new ChatMessage(ChatRole.User, question)], new ChatOptions());
        return (response.Text, BotReplyInfo.From(response.AdditionalProperties));
    }

    [Fact]
    public async Task CreateAsync_IndexesFolder_KeepsTheIndexOnDiskUnderTheBotsNameAndAnswersFromIt()
    {
        var bot = await CreateAsync();

        Assert.StartsWith("kettles-", Path.GetFileName(IndexFolder), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(IndexFolder, KnowledgeIndexStore.ManifestFileName)));
        Assert.Equal(2, _embeddings.Texts.Count(t => t.StartsWith("Descaling.", StringComparison.Ordinal) || t.StartsWith("Warranty.", StringComparison.Ordinal)));
        var (text, info) = await AskAsync(bot, "how often should I descale my kettle?");
        Assert.Equal(BotRoutes.Retrieval, info.Route);
        Assert.Equal("descaling.md", Assert.Single(info.Sources).Source);
        Assert.Contains("citric acid", text);
    }

    [Fact]
    public async Task CreateAsync_AgainUnchanged_EmbedsNoPassage()
    {
        await CreateAsync();
        _embeddings.Texts.Clear();

        await CreateAsync();

        Assert.DoesNotContain(_embeddings.Texts, t => t.Contains("citric", StringComparison.Ordinal) || t.Contains("receipt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateAsync_FileChangedAddedAndDeleted_UpdatesOnlyThoseAndAnswersFromTheNewText()
    {
        await CreateAsync();
        Write("pack/knowledge/warranty.md", "# Warranty\n\nEvery kettle has a five-year warranty against faults. Keep your receipt as proof of purchase.\n");
        Write("pack/knowledge/cleaning.md", "# Cleaning\n\nWipe the outside of the kettle with a damp cloth; never put it in the dishwasher.\n");
        File.Delete(Path.Combine(_root, "pack/knowledge/descaling.md"));
        _embeddings.Texts.Clear();

        var bot = await CreateAsync();

        Assert.Equal(2, _embeddings.Texts.Count(t => t.StartsWith("Warranty.", StringComparison.Ordinal) || t.StartsWith("Cleaning.", StringComparison.Ordinal)));
        Assert.Equal(["cleaning.md", "warranty.md"], bot.Knowledge is Parley.Retrieval.Knowledge.DenseKnowledgeIndex dense
            ? dense.Passages.Select(p => p.Source).Order().ToArray()
            : throw new InvalidOperationException("expected the dense index"));
        var (text, _) = await AskAsync(bot, "how long is the warranty on a kettle?");
        Assert.Contains("five-year", text);
    }

    [Fact]
    public async Task CreateAsync_CorruptIndex_IsRebuiltWithAWarning()
    {
        await CreateAsync();
        await File.WriteAllTextAsync(Path.Combine(IndexFolder, KnowledgeIndexStore.ManifestFileName), "{ not json");
        var warnings = new List<string>();

        var bot = await CreateAsync(warnings);

        Assert.Contains(warnings, w => w.Contains("not valid JSON", StringComparison.Ordinal) && w.EndsWith("rebuilding the index from scratch", StringComparison.Ordinal));
        var (_, info) = await AskAsync(bot, "how often should I descale my kettle?");
        Assert.Equal("descaling.md", Assert.Single(info.Sources).Source);
    }

    [Fact]
    public async Task CreateAsync_DamagedLuceneIndexWithHybridSearch_IsRebuiltWithAWarning()
    {
        await CreateAsync(hybrid: true);
        foreach (var file in Directory.GetFiles(Path.Combine(IndexFolder, KnowledgeIndexStore.LuceneFolderName)))
        {
            File.Delete(file);
        }

        var warnings = new List<string>();

        var bot = await CreateAsync(warnings, hybrid: true);

        Assert.Contains(warnings, w => w.Contains("Lucene", StringComparison.Ordinal));
        Assert.IsType<Parley.Retrieval.Knowledge.HybridKnowledgeSearch>(bot.Knowledge);
        var (_, info) = await AskAsync(bot, "is there a warranty if my kettle breaks?");
        Assert.Equal("warranty.md", Assert.Single(info.Sources).Source);
    }

    [Fact]
    public async Task CreateAsync_TwoAtOnce_BothWorkOnOneIndex()
    {
        var bots = await Task.WhenAll(Task.Run(() => CreateAsync()), Task.Run(() => CreateAsync()));

        Assert.All(bots, b => Assert.Equal(2, b.Knowledge.Count));
        Assert.Single(Directory.GetDirectories(Indexes));
    }

    [Fact]
    public async Task CreateAsync_UnrelatedQuestion_StillSaysItDoesNotKnow()
    {
        var bot = await CreateAsync(hybrid: true);

        var (text, info) = await AskAsync(bot, "who painted the Mona Lisa?");

        Assert.Equal(BotRoutes.Fallback, info.Route);
        Assert.Equal("I don't know that, sorry.", text.Trim());
    }

    /// <summary>Records every text it embeds, then delegates to the real encoder.</summary>
    private sealed class RecordingEmbeddings(IEmbeddingGenerator<string, Embedding<float>> inner) : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
    {
        public List<string> Texts { get; } = [];

        public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = values.ToList();
            lock (Texts)
            {
                Texts.AddRange(list);
            }

            return base.GenerateAsync(list, options, cancellationToken);
        }
    }

    private sealed class SyncProgress(Action<KnowledgeIndexProgress> report) : IProgress<KnowledgeIndexProgress>
    {
        public void Report(KnowledgeIndexProgress value) => report(value);
    }
}
