using System.Text.Json;
using Parley.Nlu.Data;

namespace Parley.Nlu.Tests.Data;

public sealed class DatasetWriterTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task WriteCsvAsync_TrickyTexts_RoundTripsThroughReader()
    {
        DatasetItem[] items =
        [
            new("plain", "a", 0),
            new("comma, inside", "b", 0),
            new("quote \"inside\"", "c", 0),
            new("line\nbreak", "d", 0),
            new("café 你好 😀", "e,f", 0),
        ];
        var path = Path.Combine(_folder.Path, "out", "items.csv");

        await DatasetWriter.WriteCsvAsync(path, items);
        var read = await DatasetReader.ReadAsync(path);

        Assert.Empty(read.ReadErrors);
        Assert.Equal(items.Select(i => (i.Text, i.Intent)), read.AllItems.Select(i => (i.Text, i.Intent)));
        Assert.Equal([2, 3, 4, 5, 7], read.AllItems.Select(i => i.Line));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public async Task WriteSplitAsync_Split_WritesFilesAndSummary()
    {
        var items = Enumerable.Range(0, 40).Select(i => new DatasetItem($"text {i}", i % 2 == 0 ? "even" : "odd", i + 2)).ToList();
        var split = DatasetSplitter.Split(items, 0.1, 0.2, seed: 5);
        var hash = DataHash.Compute(items);

        await DatasetWriter.WriteSplitAsync(_folder.Path, split, DatasetSplitSummary.Create(split, "items.csv", hash));

        Assert.Equal(DatasetWriter.SplitFileNames.Order(), Directory.GetFiles(_folder.Path).Select(Path.GetFileName).Order()!);
        var test = await DatasetReader.ReadAsync(Path.Combine(_folder.Path, "test.csv"));
        Assert.Equal(split.Test.Select(i => i.Text), test.AllItems.Select(i => i.Text));
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_folder.Path, "summary.json")));
        var root = summary.RootElement;
        Assert.Equal(hash, root.GetProperty("source_hash").GetString());
        Assert.Equal(5, root.GetProperty("seed").GetInt32());
        Assert.Equal(0.2, root.GetProperty("test_fraction").GetDouble());
        Assert.Equal(28, root.GetProperty("counts").GetProperty("train").GetInt32());
        Assert.Equal(8, root.GetProperty("counts").GetProperty("test").GetInt32());
        Assert.Equal(2, root.GetProperty("intents").GetProperty("even").GetProperty("val").GetInt32());
    }
}
