using Parley.Retrieval.Knowledge;

namespace Parley.Retrieval.Tests.Knowledge;

public sealed class ReciprocalRankFusionTests
{
    [Fact]
    public void Fuse_TwoRankings_SumsReciprocalRanks()
    {
        string[] lexical = ["a", "b", "c"];
        string[] dense = ["c", "a", "d"];

        var fused = ReciprocalRankFusion.Fuse<string>([(lexical, 1.0), (dense, 1.0)], k: 60);

        Assert.Equal(["a", "c", "b", "d"], fused.Select(f => f.Item));
        Assert.Equal(1.0 / 61 + 1.0 / 62, fused[0].Score, 12);
        Assert.Equal(1.0 / 63 + 1.0 / 61, fused[1].Score, 12);
        Assert.Equal(1.0 / 62, fused[2].Score, 12);
        Assert.Equal(1.0 / 63, fused[3].Score, 12);
    }

    [Fact]
    public void Fuse_HeavierSecondRanking_ChangesTheWinner()
    {
        string[] lexical = ["a", "b", "c"];
        string[] dense = ["c", "a", "d"];

        var fused = ReciprocalRankFusion.Fuse<string>([(lexical, 1.0), (dense, 3.0)], k: 60);

        // c: 1/63 + 3/61 = 0.06505 beats a: 1/61 + 3/62 = 0.06478.
        Assert.Equal("c", fused[0].Item);
        Assert.Equal("a", fused[1].Item);
    }

    [Fact]
    public void Fuse_SmallK_FavoursTopRanksMore()
    {
        // With k = 0, first place in one list (1) beats second place in both (1/2 + 1/2 = 1) only on the tie-break.
        string[] first = ["x", "y"];
        string[] second = ["z", "y"];

        var fused = ReciprocalRankFusion.Fuse<string>([(first, 1.0), (second, 1.0)], k: 0);

        Assert.Equal(["x", "y", "z"], fused.Select(f => f.Item));
        Assert.Equal(1.0, fused[1].Score, 12);
    }

    [Fact]
    public void Fuse_NegativeK_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReciprocalRankFusion.Fuse<string>([(new[] { "a" }, 1.0)], k: -1));
    }
}
