using Parley.Nlu.Data;

namespace Parley.Nlu.Tests.Data;

public sealed class DatasetSplitterTests
{
    /// <summary>Intents of different sizes (7 to 43 items), each text distinct.</summary>
    private static List<DatasetItem> Synthetic()
    {
        var items = new List<DatasetItem>();
        var sizes = new[] { 43, 7, 20, 11, 30 };
        for (var k = 0; k < sizes.Length; k++)
        {
            for (var i = 0; i < sizes[k]; i++)
            {
                items.Add(new DatasetItem($"utterance {i} of intent {k}", $"intent{k}", items.Count + 2));
            }
        }

        return items;
    }

    private static string Fingerprint(DatasetSplit split) =>
        string.Join("|", new[] { split.Train, split.Validation, split.Test }.Select(part => string.Join(",", part.Select(i => i.Line))));

    [Fact]
    public void Split_SameSeed_GivesSameSplit()
    {
        var items = Synthetic();

        Assert.Equal(Fingerprint(DatasetSplitter.Split(items, seed: 7)), Fingerprint(DatasetSplitter.Split(items, seed: 7)));
    }

    [Fact]
    public void Split_DifferentSeed_GivesDifferentSplit()
    {
        var items = Synthetic();

        Assert.NotEqual(Fingerprint(DatasetSplitter.Split(items, seed: 1)), Fingerprint(DatasetSplitter.Split(items, seed: 2)));
    }

    [Fact]
    public void Split_EveryItem_LandsInExactlyOnePart()
    {
        var items = Synthetic();

        var split = DatasetSplitter.Split(items);

        Assert.Equal(items.Select(i => i.Line).Order(), split.Train.Concat(split.Validation).Concat(split.Test).Select(i => i.Line).Order());
    }

    [Theory]
    [InlineData(0.1, 0.1)]
    [InlineData(0.2, 0.15)]
    [InlineData(0.0, 0.3)]
    public void Split_PerIntent_ProportionsWithinOneItem(double validation, double test)
    {
        var items = Synthetic();

        var split = DatasetSplitter.Split(items, validation, test, seed: 3);

        foreach (var intent in items.GroupBy(i => i.Intent))
        {
            var n = intent.Count();
            Assert.InRange(split.Test.Count(i => i.Intent == intent.Key), (n * test) - 1, (n * test) + 1);
            Assert.InRange(split.Validation.Count(i => i.Intent == intent.Key), (n * validation) - 1, (n * validation) + 1);
        }

        Assert.InRange(split.Test.Count, (items.Count * test) - 1, (items.Count * test) + 1);
        Assert.InRange(split.Validation.Count, (items.Count * validation) - 1, (items.Count * validation) + 1);
    }

    [Fact]
    public void Split_IdenticalAndNearIdenticalTexts_StayTogether()
    {
        var items = Synthetic();
        for (var copy = 0; copy < 4; copy++)
        {
            items.Add(new DatasetItem(copy % 2 == 0 ? "Where is my parcel?" : "where is my  parcel", "intent1", 1000 + copy));
            items.Add(new DatasetItem("utterance 5 of intent 2", "intent2", 2000 + copy));
        }

        for (var seed = 0; seed < 20; seed++)
        {
            var split = DatasetSplitter.Split(items, 0.2, 0.2, seed);
            var parts = new[] { split.Train, split.Validation, split.Test };
            Assert.Single(parts, p => p.Any(i => i.Text.Contains("parcel", StringComparison.Ordinal)));
            Assert.Single(parts, p => p.Any(i => i.Text == "utterance 5 of intent 2"));
        }
    }

    [Fact]
    public void Split_Result_HasNoLeakageWarnings()
    {
        var items = Synthetic();
        items.AddRange(items.Take(30).Select(i => i with { Text = i.Text.ToUpperInvariant() + "!", Line = i.Line + 500 }));

        var split = DatasetSplitter.Split(items, 0.2, 0.2, seed: 11);

        var report = DatasetValidator.Validate(split.ToDataset("split"));
        Assert.DoesNotContain(report.Warnings, w => w.Message.StartsWith("leakage", StringComparison.Ordinal));
    }

    [Fact]
    public void Split_SmallIntents_KeepAtLeastOneItemInTrain()
    {
        var items = new List<DatasetItem>();
        for (var k = 0; k < 10; k++)
        {
            items.AddRange(Enumerable.Range(0, 3).Select(i => new DatasetItem($"text {i} for {k}", $"tiny{k}", items.Count + 1)));
        }

        for (var seed = 0; seed < 10; seed++)
        {
            var split = DatasetSplitter.Split(items, 0.45, 0.45, seed);
            Assert.All(items.Select(i => i.Intent).Distinct(), intent => Assert.Contains(split.Train, i => i.Intent == intent));
        }
    }

    [Theory]
    [InlineData(-0.1, 0.1)]
    [InlineData(0.5, 0.5)]
    public void Split_InvalidFractions_Throws(double validation, double test)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSplitter.Split(Synthetic(), validation, test));
    }
}
