using System.Text.Json.Nodes;
using Parley.Retrieval.Chunking;
using Parley.Retrieval.Indexing;

namespace Parley.Retrieval.Tests.Indexing;

public sealed class KnowledgeIndexStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("parley-kbindex-").FullName;
    private readonly HashingEmbeddingGenerator _embeddings = new();

    public KnowledgeIndexStoreTests()
    {
        Directory.CreateDirectory(Docs);
        Write("shipping.md", "# Shipping\n\n## Delivery times\n\nParcels arrive within three working days.\n\n## Costs\n\nStandard delivery costs five euros.\n");
        Write("returns.md", "# Returns\n\nYou may return any item within thirty days for a refund.\n");
        Write("gifts/cards.txt", "Gift cards are valid for two years and cannot be exchanged for cash.\n");
        Write("park.md", "# 公园\n\n我们一起去公园散步。周末公园开放到晚上十点。\n");
    }

    private string Docs => Path.Combine(_root, "docs");

    private string Index => Path.Combine(_root, "index");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string relative, string text)
    {
        var path = Path.Combine(Docs, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [Fact]
    public async Task BuildAsync_ThenLoadAsync_WritesTheFormatAndSearches()
    {
        var report = await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings);

        Assert.Equal((4, 0, 0, 0, 0), (report.AddedFiles, report.ChangedFiles, report.RemovedFiles, report.UnchangedFiles, report.Skipped.Count));
        Assert.Equal(report.Chunks, report.EmbeddedChunks);
        Assert.True(File.Exists(Path.Combine(Index, KnowledgeIndexStore.ManifestFileName)));
        Assert.True(File.Exists(Path.Combine(Index, KnowledgeIndexStore.VectorsFileName)));
        Assert.True(Directory.Exists(Path.Combine(Index, KnowledgeIndexStore.LuceneFolderName)));
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Index, KnowledgeIndexStore.ManifestFileName)))!;
        Assert.Equal(KnowledgeIndexStore.FormatVersion, manifest["format_version"]!.GetValue<int>());
        Assert.Equal("test-hash", manifest["embedding_model"]!.GetValue<string>());
        Assert.Equal(64, manifest["files"]![0]!["sha256"]!.GetValue<string>().Length);

        using var search = await KnowledgeIndexStore.LoadAsync(Index, _embeddings);
        Assert.Equal(report.Chunks, search.Count);
        var hits = await search.SearchAsync("how long are gift cards valid", top: 1);
        Assert.Equal("gifts/cards.txt", hits[0].Passage.Source);
        var lexical = await search.Lexical.SearchAsync("return refund", top: 1);
        Assert.Equal("returns.md", lexical[0].Passage.Source);
    }

    [Fact]
    public async Task LoadAsync_ChineseQuery_FindsTheChineseDocument()
    {
        await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings);
        using var search = await KnowledgeIndexStore.LoadAsync(Index, _embeddings);

        var hits = await search.Lexical.SearchAsync("公园几点关门", top: 1);

        Assert.Equal("park.md", Assert.Single(hits).Passage.Source);
    }

    [Fact]
    public async Task BuildAsync_Again_ReusesUnchangedReembedsChangedAndDropsDeleted()
    {
        await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings);
        Write("returns.md", "# Returns\n\nYou may return any item within sixty days for a refund.\n");
        File.Delete(Path.Combine(Docs, "park.md"));
        Write("payments.md", "# Payments\n\nWe accept Visa, Mastercard and PayPal.\n");
        _embeddings.Embedded.Clear();

        var report = await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings);

        Assert.Equal((1, 1, 1, 2), (report.AddedFiles, report.ChangedFiles, report.RemovedFiles, report.UnchangedFiles));
        Assert.Equal(2, report.EmbeddedChunks);
        Assert.Equal(2, _embeddings.Embedded.Count);
        Assert.All(_embeddings.Embedded, t => Assert.True(t.Contains("sixty") || t.Contains("PayPal"), t));
        using var search = await KnowledgeIndexStore.LoadAsync(Index, _embeddings);
        var sources = search.Dense.Passages.Select(p => p.Source).Distinct().ToArray();
        Assert.Equal(["gifts/cards.txt", "payments.md", "returns.md", "shipping.md"], sources);
        Assert.Contains(search.Dense.Passages, p => p.Text.Contains("sixty"));
        Assert.Equal("returns.md", (await search.SearchAsync("return within sixty days refund", top: 1))[0].Passage.Source);
    }

    [Fact]
    public async Task BuildAsync_NothingChanged_EmbedsNothing()
    {
        var first = await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings);
        _embeddings.Embedded.Clear();

        var report = await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings);

        Assert.Equal((0, 0, 0, 4, first.Chunks, 0), (report.AddedFiles, report.ChangedFiles, report.RemovedFiles, report.UnchangedFiles, report.Chunks, report.EmbeddedChunks));
        Assert.Empty(_embeddings.Embedded);
    }

    [Fact]
    public async Task BuildAsync_NothingChanged_KeepsTheIndexFolderAsItWas()
    {
        await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings);
        var manifest = Path.Combine(Index, KnowledgeIndexStore.ManifestFileName);
        var written = File.GetLastWriteTimeUtc(manifest);
        await File.AppendAllTextAsync(Path.Combine(Index, "marker"), "kept");

        var report = await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings);

        Assert.True(report.UpToDate);
        Assert.Null(report.RebuildReason);
        Assert.Equal(written, File.GetLastWriteTimeUtc(manifest));
        Assert.True(File.Exists(Path.Combine(Index, "marker")));
    }

    [Fact]
    public async Task BuildAsync_OldFormatVersion_RebuildsFromScratchWithAWarning()
    {
        await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings);
        var path = Path.Combine(Index, KnowledgeIndexStore.ManifestFileName);
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        manifest["format_version"] = 1;
        await File.WriteAllTextAsync(path, manifest.ToJsonString());
        var warnings = new List<string>();

        var report = await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings, new SyncProgress(p =>
        {
            if (p.Warning is not null)
            {
                warnings.Add(p.Warning);
            }
        }));

        Assert.Contains("format version 1", report.RebuildReason);
        Assert.Equal(report.Chunks, report.EmbeddedChunks);
        Assert.Contains(warnings, w => w.Contains("format version 1") && w.EndsWith("rebuilding the index from scratch", StringComparison.Ordinal));
        using var search = await KnowledgeIndexStore.LoadAsync(Index, _embeddings);
        Assert.Equal(report.Chunks, search.Count);
    }

    [Fact]
    public async Task BuildAsync_CorruptVectors_RebuildsFromScratch()
    {
        await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings);
        await File.WriteAllBytesAsync(Path.Combine(Index, KnowledgeIndexStore.VectorsFileName), [1, 2, 3]);

        var report = await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings);

        Assert.Contains("damaged", report.RebuildReason ?? "", StringComparison.Ordinal);
        using var search = await KnowledgeIndexStore.LoadAsync(Index, _embeddings);
        Assert.Equal(report.Chunks, search.Count);
    }

    [Fact]
    public async Task BuildAsync_NothingChangedButLuceneIndexGone_WritesItAgainWithoutEmbedding()
    {
        await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings);
        Directory.Delete(Path.Combine(Index, KnowledgeIndexStore.LuceneFolderName), recursive: true);
        _embeddings.Embedded.Clear();

        var report = await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings);

        Assert.False(report.UpToDate);
        Assert.Contains("Lucene", report.RebuildReason);
        Assert.Empty(_embeddings.Embedded);
        using var search = await KnowledgeIndexStore.LoadAsync(Index, _embeddings);
        Assert.Equal("returns.md", (await search.Lexical.SearchAsync("return refund", top: 1))[0].Passage.Source);
    }

    [Fact]
    public async Task BuildAsync_OtherChunkingSettings_RechunksEveryFile()
    {
        await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings);

        var report = await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings, chunking: new ChunkingOptions { MaxTokens = 100 });

        Assert.Equal((4, 0), (report.ChangedFiles + report.AddedFiles, report.UnchangedFiles));
        Assert.Contains("estimate/200/30", report.RebuildReason);
        Assert.Contains("estimate/100/30", report.RebuildReason);
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Index, KnowledgeIndexStore.ManifestFileName)))!;
        Assert.Equal("estimate/100/30", manifest["chunking"]!.GetValue<string>());
    }

    [Fact]
    public async Task BuildAsync_ConcurrentBuilds_RunOneAfterTheOtherAndLeaveOneWorkingIndex()
    {
        var slow = new HashingEmbeddingGenerator { OnGenerate = _ => Thread.Sleep(200) };

        var reports = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => KnowledgeIndexStore.BuildAsync(Docs, Index, slow))));

        Assert.Single(reports, r => !r.UpToDate);
        Assert.Equal(2, reports.Count(r => r.UpToDate));
        using var search = await KnowledgeIndexStore.LoadAsync(Index, _embeddings);
        Assert.Equal(reports[0].Chunks, search.Count);
        Assert.Equal(["docs", "index"], Directory.GetDirectories(_root).Select(d => Path.GetFileName(d)!).Order().ToArray());
    }

    [Fact]
    public async Task BuildAsync_FailureMidBuild_LeavesTheOldIndexWorkingAndNoStagingFolder()
    {
        await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings);
        Write("returns.md", "# Returns\n\nChanged text that must be embedded.\n");
        _embeddings.OnGenerate = _ => throw new InvalidOperationException("encoder crashed");

        await Assert.ThrowsAsync<InvalidOperationException>(() => KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings));

        _embeddings.OnGenerate = null;
        using var search = await KnowledgeIndexStore.LoadAsync(Index, _embeddings);
        Assert.Contains(search.Dense.Passages, p => p.Text.Contains("thirty days"));
        Assert.Equal(["docs", "index"], Directory.GetDirectories(_root).Select(d => Path.GetFileName(d)!).Order().ToArray());
    }

    [Fact]
    public async Task LoadAsync_CrashBetweenTheRenames_RecoversTheIndexSetAside()
    {
        await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings);
        Directory.Move(Index, Index + ".old-0123");

        using var search = await KnowledgeIndexStore.LoadAsync(Index, _embeddings);

        Assert.True(search.Count > 0);
        Assert.True(Directory.Exists(Index));
    }

    [Fact]
    public async Task LoadAsync_WrongFormatVersion_SaysToReindex()
    {
        await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings);
        var path = Path.Combine(Index, KnowledgeIndexStore.ManifestFileName);
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        manifest["format_version"] = 99;
        await File.WriteAllTextAsync(path, manifest.ToJsonString());

        var e = await Assert.ThrowsAsync<KnowledgeException>(() => KnowledgeIndexStore.LoadAsync(Index, _embeddings));

        Assert.Contains("format version 99", e.Message);
        Assert.Contains("re-index with parley kb index", e.Message);
    }

    [Theory]
    [InlineData("vectors")]
    [InlineData("manifest")]
    [InlineData("lucene")]
    public async Task LoadAsync_DamagedIndex_SaysToReindex(string part)
    {
        await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings);
        switch (part)
        {
            case "vectors":
                var vectors = Path.Combine(Index, KnowledgeIndexStore.VectorsFileName);
                await File.WriteAllBytesAsync(vectors, (await File.ReadAllBytesAsync(vectors))[..100]);
                break;
            case "manifest":
                await File.WriteAllTextAsync(Path.Combine(Index, KnowledgeIndexStore.ManifestFileName), "{\"format_version\": 1, \"files\": [");
                break;
            default:
                Directory.Delete(Path.Combine(Index, KnowledgeIndexStore.LuceneFolderName), recursive: true);
                break;
        }

        var e = await Assert.ThrowsAsync<KnowledgeException>(() => KnowledgeIndexStore.LoadAsync(Index, _embeddings));

        Assert.Contains("damaged", e.Message);
        Assert.Contains("re-index with parley kb index", e.Message);
    }

    [Fact]
    public async Task LoadAsync_OtherEmbeddingModel_SaysToReindex()
    {
        await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings);

        var e = await Assert.ThrowsAsync<KnowledgeException>(() => KnowledgeIndexStore.LoadAsync(Index, new HashingEmbeddingGenerator("other-model")));

        Assert.Contains("other-model", e.Message);
        Assert.Contains("re-index with parley kb index", e.Message);
    }

    [Fact]
    public async Task LoadAsync_NoIndex_SaysHowToBuildOne()
    {
        var e = await Assert.ThrowsAsync<KnowledgeException>(() => KnowledgeIndexStore.LoadAsync(Index, _embeddings));

        Assert.Contains("parley kb index", e.Message);
    }

    [Fact]
    public async Task BuildAsync_UnreadableFiles_AreSkippedWithWarningsAndTheRestIndexed()
    {
        await File.WriteAllBytesAsync(Path.Combine(Docs, "broken.pdf"), "%PDF-1.7\nthis is not really a pdf"u8.ToArray());
        await File.WriteAllBytesAsync(Path.Combine(Docs, "binary.md"), [0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF, 0xFE]);
        var warnings = new List<string>();

        var report = await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings, new SyncProgress(p =>
        {
            if (p.Warning is not null)
            {
                warnings.Add(p.Warning);
            }
        }));

        Assert.Equal(["binary.md", "broken.pdf"], report.Skipped.Select(s => s.Source).Order().ToArray());
        Assert.All(report.Skipped, s => Assert.False(string.IsNullOrWhiteSpace(s.Reason)));
        Assert.Contains(warnings, w => w.StartsWith("skipped broken.pdf: ", StringComparison.Ordinal));
        Assert.Equal(4, report.Files);
    }

    [Fact]
    public async Task BuildAsync_FileThatThrowsInReadingOrChunking_IsNamedInAWarningAndTheRestIndexed()
    {
        // Reading a link to a file that does not exist throws; the chunker's token counter throws on one file.
        File.CreateSymbolicLink(Path.Combine(Docs, "gone.md"), Path.Combine(_root, "nowhere.md"));
        Write("explodes.md", "# Explodes\n\nThis passage makes the token counter throw.\n");
        Write("library.md", "```\n```\n#### Example conversation\n```\n```\n[1]: https://example.com/library\n");
        var chunking = new ChunkingOptions
        {
            CountTokens = text => text.Contains("token counter throw", StringComparison.Ordinal)
                ? throw new InvalidOperationException("counter failed")
                : ChunkingOptions.EstimateTokens(text),
            CounterName = "throws-on-one-file",
        };
        var warnings = new List<string>();

        var report = await KnowledgeIndexStore.BuildAsync(Docs, Index, _embeddings, new SyncProgress(p =>
        {
            if (p.Warning is not null)
            {
                warnings.Add(p.Warning);
            }
        }), chunking);

        Assert.Equal(["explodes.md", "gone.md"], report.Skipped.Select(s => s.Source).Order().ToArray());
        Assert.Contains(warnings, w => w.StartsWith("skipped gone.md: ", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("skipped explodes.md: ", StringComparison.Ordinal) && w.Contains("InvalidOperationException: counter failed", StringComparison.Ordinal));
        Assert.Equal(5, report.Files);
        using var search = await KnowledgeIndexStore.LoadAsync(Index, _embeddings);
        Assert.Contains(search.Dense.Passages, p => p.Source == "library.md" && p.Text.Contains("example.com/library", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BuildAsync_MissingDocsFolder_Throws()
    {
        await Assert.ThrowsAsync<KnowledgeException>(() => KnowledgeIndexStore.BuildAsync(Path.Combine(_root, "none"), Index, _embeddings));
    }

    private sealed class SyncProgress(Action<KnowledgeIndexProgress> report) : IProgress<KnowledgeIndexProgress>
    {
        public void Report(KnowledgeIndexProgress value) => report(value);
    }
}
