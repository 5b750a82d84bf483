using Parley.Nlu.Data;

namespace Parley.Nlu.Tests.Data;

public sealed class DatasetValidatorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static IntentDataset Dataset(params (string Split, DatasetItem[] Items)[] splits) =>
        new("data.csv", DatasetFormat.Csv, splits.Select(s => new KeyValuePair<string, IReadOnlyList<DatasetItem>>(s.Split, s.Items)));

    private static DatasetItem[] Balanced(params string[] intents) =>
        [.. intents.SelectMany((intent, k) => Enumerable.Range(0, 5).Select(i => new DatasetItem($"{intent} example number {i}", intent, 100 + (k * 5) + i)))];

    [Fact]
    public void Validate_CleanData_HasNoIssues()
    {
        var report = DatasetValidator.Validate(Dataset(("all", Balanced("a", "b"))));

        Assert.False(report.HasErrors);
        Assert.Empty(report.Errors);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public async Task Validate_CsvWithEmptyTextAndMissingLabel_ReportsEachWithItsLine()
    {
        var rows = string.Concat(Enumerable.Range(0, 5).Select(i => $"greeting {i},greet\n"));
        var path = _folder.Write("data.csv", "text,intent\n" + rows + " ,greet\nwhere is my order,\n");

        var report = DatasetValidator.Validate(await DatasetReader.ReadAsync(path));

        Assert.Equal(
            [$"{path}:7: empty text: every example needs an utterance", $"{path}:8: missing label: \"where is my order\" has no intent"],
            report.Errors.Select(e => e.ToString()));
        Assert.Equal(["text", "intent"], report.Errors.Select(e => e.Field));
        Assert.All(report.Errors, e => Assert.Equal(DatasetIssueSeverity.Error, e.Severity));
    }

    [Fact]
    public async Task Validate_MalformedLines_AreErrorsWithTheirLines()
    {
        var path = _folder.Write("data.jsonl", "{\"text\":\"hi\",\"intent\":\"greet\"}\nnot json\n{\"text\":\"yo\",\"intent\":\"greet\"}\n{oops}\n");

        var report = DatasetValidator.Validate(await DatasetReader.ReadAsync(path));

        Assert.Equal([2, 4], report.Errors.Select(e => e.Line));
        Assert.All(report.Errors, e => Assert.StartsWith($"{path}:{e.Line}: malformed JSON", e.ToString()));
    }

    [Fact]
    public void Validate_SameTextWithConflictingLabels_ReportsLaterLineAndFirst()
    {
        var report = DatasetValidator.Validate(Dataset(("all", [.. Balanced("a", "b"), new("A Example  number 0", "b", 7)])));

        var error = Assert.Single(report.Errors);
        Assert.Equal(7, error.Line);
        Assert.Equal("intent", error.Field);
        Assert.Contains("conflicting labels", error.Message);
        Assert.Contains("'b' here but 'a' at line 100", error.Message);
    }

    [Fact]
    public void Validate_ConflictingLabelsAsWarnings_ReportsWarningNotError()
    {
        var dataset = Dataset(("all", [.. Balanced("a", "b"), new("a example number 0", "b", 7)]));

        var report = DatasetValidator.Validate(dataset, new ValidationOptions { ConflictingLabels = DatasetIssueSeverity.Warning });

        Assert.Empty(report.Errors);
        Assert.Contains(report.Warnings, w => w.Line == 7 && w.Message.StartsWith("conflicting labels", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_FewExamples_WarnsWithIntentAndCount()
    {
        var report = DatasetValidator.Validate(Dataset(("all", [.. Balanced("a"), new("only one", "rare", 3)])));

        var warning = Assert.Single(report.Warnings);
        Assert.Equal(DatasetIssueSeverity.Warning, warning.Severity);
        Assert.Equal(3, warning.Line);
        Assert.Contains("intent 'rare' has only 1 example (at least 5 recommended)", warning.Message);
    }

    [Fact]
    public void Validate_HeavyImbalance_WarnsAboveConfiguredRatio()
    {
        var big = Enumerable.Range(0, 60).Select(i => new DatasetItem($"big {i}", "big", i + 1));
        var small = Enumerable.Range(0, 5).Select(i => new DatasetItem($"small {i}", "small", i + 100));
        var dataset = Dataset(("all", [.. big, .. small]));

        var warning = Assert.Single(DatasetValidator.Validate(dataset).Warnings);
        Assert.Contains("imbalanced intents: 'big' has 60 examples, 'small' 5 (12x", warning.Message);
        Assert.Empty(DatasetValidator.Validate(dataset, new ValidationOptions { MaxImbalanceRatio = 15 }).Warnings);
    }

    [Fact]
    public void Validate_ExactDuplicateWithinSplit_WarnsOnSecondOccurrence()
    {
        var report = DatasetValidator.Validate(Dataset(("all", [.. Balanced("a", "b"), new("a example number 3", "a", 50)])));

        Assert.Empty(report.Errors);
        var warning = Assert.Single(report.Warnings);
        Assert.Equal(50, warning.Line);
        Assert.Contains("duplicate: \"a example number 3\" already at line 103", warning.Message);
    }

    [Fact]
    public void Validate_ExactAndNearDuplicatesAcrossSplits_WarnLeakage()
    {
        var report = DatasetValidator.Validate(Dataset(
            ("train", Balanced("a", "b")),
            ("test", [new("a example number 1", "a", 201), new("A example, number 2!", "a", 202), new("brand new text", "a", 203)])));

        Assert.Empty(report.Errors);
        Assert.Collection(report.Warnings,
            w => Assert.Equal("data.csv:201: leakage: \"a example number 1\" in 'test' is an exact duplicate of line 101 in 'train'", w.ToString()),
            w => Assert.Equal("data.csv:202: leakage: \"A example, number 2!\" in 'test' is a near duplicate of line 102 in 'train'", w.ToString()));
    }

    [Fact]
    public async Task Validate_ClincSmallSlice_HasNoErrors()
    {
        var full = await DatasetReader.ReadAsync(DatasetReaderTests.ClincSmall);
        var slice = new IntentDataset(full.Path, full.Format, full.Splits.Select(s =>
            new KeyValuePair<string, IReadOnlyList<DatasetItem>>(s.Key, [.. s.Value.Where(i => i.Intent is "balance" or "oos" or "translate")])));

        var report = DatasetValidator.Validate(slice);

        Assert.Empty(report.Errors);
        Assert.DoesNotContain(report.Warnings, w => w.Message.Contains("has only", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_HeaderOnlyCsv_IsAnError()
    {
        var path = _folder.Write("header.csv", "text,intent\n");

        var report = DatasetValidator.Validate(await DatasetReader.ReadAsync(path));

        Assert.True(report.HasErrors);
        Assert.StartsWith($"{path}: no examples", Assert.Single(report.Errors).ToString(), StringComparison.Ordinal);
    }
}
