using Parley.Nlu.Embeddings;
using Parley.Retrieval.Knowledge;
using Parley.Retrieval.Tests.Indexing;

namespace Parley.Retrieval.Tests.Knowledge;

public sealed class DenseKnowledgeIndexTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-kb-").FullName;
    private readonly MiniLmEmbeddingGenerator _embeddings = new(intraOpThreads: 1);

    public void Dispose()
    {
        _embeddings.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task SearchAsync_Question_FindsTheSectionThatAnswersIt()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "care.md"), "# Care\n\n## Cast iron\n\nDry the skillet at once and oil it lightly.\n\n## Knives\n\nSharpen at 15 degrees.\n");
        await File.WriteAllTextAsync(Path.Combine(_dir, "pay.md"), "# Payments\n\nWe accept Visa, Mastercard and PayPal.\n");
        await File.WriteAllTextAsync(Path.Combine(_dir, "ignored.pdf"), "not indexed");

        var index = await DenseKnowledgeIndex.BuildAsync(_embeddings, _dir);
        var hits = await index.SearchAsync("how do I look after my cast iron pan?", top: 2);

        Assert.Equal(3, index.Count);
        Assert.Equal("care.md#cast-iron", hits[0].Passage.Id);
        Assert.True(hits[0].Score > hits[1].Score);
    }

    [Fact]
    public async Task BuildAsync_EmbedsEachPassageWithItsDocumentTitleOnce()
    {
        // The heading path of a document with an H1 starts with the title; one without an H1 is titled by its file name.
        await File.WriteAllTextAsync(Path.Combine(_dir, "care.md"), "# Care\n\nRead this first.\n\n## Cast iron\n\nDry the skillet at once.\n");
        await File.WriteAllTextAsync(Path.Combine(_dir, "hours.md"), "Call us any day.\n\n## Weekends\n\nClosed on Sundays.\n");
        var encoder = new HashingEmbeddingGenerator();

        var index = await DenseKnowledgeIndex.BuildAsync(encoder, _dir);

        string Text(string id) => index.Passages.Single(p => p.Id == id).Text;
        Assert.Equal(
            [
                $"Care › Cast iron. {Text("care.md#cast-iron")}",
                $"Care. {Text("care.md#care")}",
                $"hours. {Text("hours.md#intro")}",
                $"hours. Weekends. {Text("hours.md#weekends")}",
            ],
            encoder.Embedded.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task BuildAsync_MissingFolder_GivesEmptyIndex()
    {
        var index = await DenseKnowledgeIndex.BuildAsync(_embeddings, Path.Combine(_dir, "none"));

        Assert.Equal(0, index.Count);
        Assert.Empty(await index.SearchAsync("anything"));
    }
}
