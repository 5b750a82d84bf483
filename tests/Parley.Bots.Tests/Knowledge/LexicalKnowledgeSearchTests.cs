using Parley.Bots.Knowledge;
using Parley.Retrieval.Knowledge;

namespace Parley.Bots.Tests.Knowledge;

public sealed class LexicalKnowledgeSearchTests
{
    private static LexicalKnowledgeSearch Search() => new(Bm25KnowledgeIndex.Create(
    [
        new KnowledgePassage("orders.md#0", "orders.md", "订单状态", "派送中", "派送中：快递公司预计今天送达。", 0, 15),
        new KnowledgePassage("loyalty.md#0", "loyalty.md", "会员积分", "积分有效期", "积分的有效期是两年，过期的积分会清零。", 0, 19),
    ]));

    // BM25's IDF over the two passages: a word one of them has, and a word neither has.
    private static readonly double InOne = Math.Log(1 + (2 - 1 + 0.5) / (1 + 0.5));
    private static readonly double InNone = Math.Log(1 + (2 + 0.5) / 0.5);

    [Fact]
    public async Task SearchAsync_OneWordInCommonWithAQuestionOfSeveral_ScoresHalfItsShare()
    {
        using var search = Search();

        // 今天 is in the delivery passage, 天气 in none; 怎么样 is a question word.
        var hit = Assert.Single(await search.SearchAsync("今天天气怎么样"));

        Assert.Equal("orders.md#0", hit.Passage.Id);
        Assert.Equal(Math.Round(InOne / (InOne + InNone) / 2, 4), hit.Score);
    }

    [Fact]
    public async Task SearchAsync_TwoWordsInCommon_ScoresTheWholeShare()
    {
        using var search = Search();

        var hit = (await search.SearchAsync("积分多久过期"))[0];

        Assert.Equal("loyalty.md#0", hit.Passage.Id);
        Assert.Equal(Math.Round(2 * InOne / (2 * InOne + InNone), 4), hit.Score);
    }

    [Fact]
    public async Task SearchAsync_TheOneWordOfAOneWordQuestion_ScoresTheWholeShare()
    {
        using var search = Search();

        var hit = Assert.Single(await search.SearchAsync("积分"));

        Assert.Equal(1.0, hit.Score);
    }
}
