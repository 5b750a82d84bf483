using Parley.Nlu.Embeddings;
using Parley.Retrieval.Knowledge;

namespace Parley.Retrieval.Tests.Knowledge;

public sealed class HybridKnowledgeSearchTests : IDisposable
{
    private readonly MiniLmEmbeddingGenerator _embeddings = new(intraOpThreads: 1);

    public void Dispose() => _embeddings.Dispose();

    private static KnowledgePassage Passage(string id, string title, string text) =>
        new(id, id.Split('#')[0], title, title, text, 0, text.Length);

    private static readonly KnowledgePassage[] Passages =
    [
        Passage("parts.md#spares", "Spare parts", "Replacement gaskets are sold separately. Part number QX-7731 fits the 3 litre pressure cooker."),
        Passage("care.md#cooker", "Pressure cooker care", "Check the sealing ring of your pressure cooker before every use and replace it when it cracks or smells."),
        Passage("faq.md#lid", "Lids", "If the lid of your pressure cooker will not close, the sealing ring may be seated wrongly."),
        Passage("pay.md#cards", "Payments", "We accept Visa, Mastercard and PayPal."),
    ];

    [Fact]
    public async Task SearchAsync_ExactPartNumberWithEqualWeights_LexicalMatchLiftsThePassageAboveItsDenseRank()
    {
        using var hybrid = await HybridKnowledgeSearch.CreateAsync(_embeddings, Passages, new HybridSearchOptions { LexicalWeight = 1 });
        const string query = "QX-7731 sealing ring";

        var hybridRank = (await hybrid.SearchAsync(query, top: 4)).ToList().FindIndex(h => h.Passage.Id == "parts.md#spares");
        var denseRank = (await hybrid.Dense.SearchAsync(query, top: 4)).ToList().FindIndex(h => h.Passage.Id == "parts.md#spares");

        Assert.InRange(hybridRank, 0, 1);
        Assert.True(hybridRank < denseRank, $"hybrid rank {hybridRank}, dense rank {denseRank}");
    }

    [Fact]
    public async Task SearchAsync_Hits_CarryTheDenseCosineAsScore()
    {
        using var hybrid = await HybridKnowledgeSearch.CreateAsync(_embeddings, Passages);
        const string query = "how do I pay, do you take credit cards?";

        var hits = await hybrid.SearchAsync(query, top: 4);
        var dense = (await hybrid.Dense.SearchAsync(query, top: 4)).ToDictionary(h => h.Passage.Id, h => h.Score);

        Assert.Equal(4, hits.Count);
        Assert.All(hits, h => Assert.Equal(dense[h.Passage.Id], h.Score));
        Assert.Equal("pay.md#cards", hits[0].Passage.Id);
    }

    [Fact]
    public async Task SearchAsync_UnrelatedQuestion_ScoresStayBelowTheBotThreshold()
    {
        using var hybrid = await HybridKnowledgeSearch.CreateAsync(_embeddings, Passages);

        var hits = await hybrid.SearchAsync("who won the football world cup in 1998?", top: 4);

        Assert.All(hits, h => Assert.True(h.Score < 0.45, $"{h.Passage.Id} scored {h.Score}"));
    }

    [Fact]
    public async Task Constructor_DifferentPassages_Throws()
    {
        var dense = await DenseKnowledgeIndex.FromPassagesAsync(_embeddings, Passages[..2]);
        using var lexical = Bm25KnowledgeIndex.Create(Passages);

        Assert.Throws<ArgumentException>(() => new HybridKnowledgeSearch(lexical, dense));
    }

    [Fact]
    public void Options_ZeroWeights_FailValidation()
    {
        var options = new HybridSearchOptions { LexicalWeight = 0, DenseWeight = 0 };

        Assert.Throws<ArgumentException>(options.Validate);
    }
}
