using Parley.Nlu.Embeddings;
using Parley.Retrieval.Knowledge;

namespace Parley.Retrieval.Tests.Knowledge;

public sealed class Bm25KnowledgeIndexTests : IDisposable
{
    private readonly MiniLmEmbeddingGenerator _embeddings = new(intraOpThreads: 1);

    public void Dispose() => _embeddings.Dispose();

    private static KnowledgePassage Passage(string id, string title, string text) =>
        new(id, id.Split('#')[0], title, title, text, 0, text.Length);

    private static readonly KnowledgePassage[] Parts =
    [
        Passage("parts.md#spares", "Spare parts", "Replacement gaskets are sold separately. Part number QX-7731 fits the 3 litre pressure cooker."),
        Passage("care.md#cooker", "Pressure cooker care", "Check the sealing ring of your pressure cooker before every use and replace it when it cracks or smells."),
        Passage("faq.md#lid", "Lids", "If the lid of your pressure cooker will not close, the sealing ring may be seated wrongly."),
        Passage("pay.md#cards", "Payments", "We accept Visa, Mastercard and PayPal."),
    ];

    [Fact]
    public async Task SearchAsync_ExactPartNumber_RanksThePassageWithItFirst()
    {
        using var index = Bm25KnowledgeIndex.Create(Parts);

        var hits = await index.SearchAsync("do you have QX-7731 in stock?", top: 4);

        Assert.Equal("parts.md#spares", hits[0].Passage.Id);
        Assert.True(hits.Count == 1 || hits[0].Score > hits[1].Score);
    }

    [Fact]
    public async Task SearchAsync_ExactPartNumber_DenseSearchDoesNotRankItFirst()
    {
        // The reason for lexical search: a code means nothing to a sentence encoder.
        var dense = await DenseKnowledgeIndex.FromPassagesAsync(_embeddings, Parts);
        using var bm25 = Bm25KnowledgeIndex.Create(Parts);
        const string query = "QX-7731 sealing ring";

        var denseHits = await dense.SearchAsync(query, top: 4);
        var lexicalHits = await bm25.SearchAsync(query, top: 4);

        Assert.NotEqual("parts.md#spares", denseHits[0].Passage.Id);
        Assert.Equal("parts.md#spares", lexicalHits[0].Passage.Id);
    }

    [Fact]
    public async Task SearchAsync_InflectedForm_MatchesThroughStemming()
    {
        using var index = Bm25KnowledgeIndex.Create(Parts);

        var hits = await index.SearchAsync("accepting payment", top: 1);

        Assert.Equal("pay.md#cards", Assert.Single(hits).Passage.Id);
    }

    [Fact]
    public async Task SearchAsync_ChineseQuery_FindsTheChinesePassageThroughSmartCn()
    {
        KnowledgePassage[] passages =
        [
            Passage("zh/returns.md#退货", "退货政策", "收到商品后三十天内可以申请退货，请保留原包装。"),
            Passage("zh/shipping.md#配送", "配送", "我们的仓库在荷兰，订单通常在两个工作日内发货。"),
            Passage("returns.md#window", "Returns", "You can return most items within 30 days of delivery."),
        ];
        using var index = Bm25KnowledgeIndex.Create(passages);

        var hits = await index.SearchAsync("我想申请退货", top: 3);

        Assert.Equal("zh/returns.md#退货", hits[0].Passage.Id);
        Assert.DoesNotContain(hits, h => h.Passage.Id == "returns.md#window");
    }

    [Fact]
    public async Task SearchAsync_NoSharedTerm_ReturnsNothing()
    {
        using var index = Bm25KnowledgeIndex.Create(Parts);

        Assert.Empty(await index.SearchAsync("volcano eruption forecast"));
        Assert.Empty(await index.SearchAsync("   "));
    }

    [Fact]
    public async Task BuildAsync_MissingFolder_GivesEmptyIndex()
    {
        using var index = await Bm25KnowledgeIndex.BuildAsync(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")));

        Assert.Equal(0, index.Count);
        Assert.Empty(await index.SearchAsync("anything"));
    }
}
