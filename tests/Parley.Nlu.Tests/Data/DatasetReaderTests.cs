using Parley.Nlu.Data;
using Parley.Nlu.Intents;

namespace Parley.Nlu.Tests.Data;

public sealed class DatasetReaderTests : IDisposable
{
    internal static readonly string ClincSmall = Parley.Testing.TestPaths.ClincSmall;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ReadAsync_CsvWithQuotedCommasQuotesAndNewlines_ReadsFieldsAndStartingLines()
    {
        var path = _folder.Write("data.csv",
            "text,intent\n" +
            "hello there,greeting\n" +
            "\"yes, please\",affirm\n" +
            "\"she said \"\"hi\"\"\",greeting\n" +
            "\"two\nlines\",multi\r\n" +
            "\n" +
            "after,last\n");

        var dataset = await DatasetReader.ReadAsync(path);

        Assert.Equal(DatasetFormat.Csv, dataset.Format);
        Assert.Empty(dataset.ReadErrors);
        var items = Assert.Single(dataset.Splits).Value;
        Assert.Equal(
            [
                new DatasetItem("hello there", "greeting", 2),
                new DatasetItem("yes, please", "affirm", 3),
                new DatasetItem("she said \"hi\"", "greeting", 4),
                new DatasetItem("two\nlines", "multi", 5),
                new DatasetItem("after", "last", 8),
            ],
            items);
        Assert.Equal(DatasetSplitNames.All, dataset.Splits.Keys.Single());
    }

    [Fact]
    public async Task ReadAsync_CsvWithCustomColumnsInAnyOrder_UsesNamedColumns()
    {
        var path = _folder.Write("data.csv", "id,Label,utterance\n1,book,reserve a table\n");

        var dataset = await DatasetReader.ReadAsync(path, new DatasetReadOptions { TextColumn = "utterance", LabelColumn = "label" });

        Assert.Equal(new DatasetItem("reserve a table", "book", 2), dataset.AllItems.Single());
    }

    [Fact]
    public async Task ReadAsync_CsvWithoutTextColumn_ThrowsNamingFileAndColumns()
    {
        var path = _folder.Write("data.csv", "sentence,intent\nhi,greet\n");

        var e = await Assert.ThrowsAsync<DatasetException>(() => DatasetReader.ReadAsync(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("'text'", e.Message);
        Assert.Contains("'sentence'", e.Message);
        Assert.Contains("--text-column", e.Message);
    }

    [Fact]
    public async Task ReadAsync_CsvWithWrongFieldCountAndUnterminatedQuote_CollectsErrorsWithLines()
    {
        var path = _folder.Write("data.csv", "text,intent\nok,a\nhello, world,greet\nfine,b\n\"never closed,c\nmore\n");

        var dataset = await DatasetReader.ReadAsync(path);

        Assert.Equal(["ok", "fine"], dataset.AllItems.Select(i => i.Text));
        Assert.Collection(dataset.ReadErrors,
            e => Assert.StartsWith($"{path}:3: wrong number of fields: expected 2", e.ToString()),
            e => Assert.StartsWith($"{path}:5: malformed CSV line: unterminated quoted field", e.ToString()));
    }

    [Fact]
    public async Task ReadAsync_Tsv_ReadsTabSeparatedFields()
    {
        var path = _folder.Write("data.tsv", "text\tintent\nwhat, exactly?\tclarify\nbye\tgoodbye\n");

        var dataset = await DatasetReader.ReadAsync(path);

        Assert.Equal(DatasetFormat.Tsv, dataset.Format);
        Assert.Equal([new DatasetItem("what, exactly?", "clarify", 2), new DatasetItem("bye", "goodbye", 3)], dataset.AllItems);
    }

    [Fact]
    public async Task ReadAsync_Jsonl_ReadsIntentOrLabelAndReportsBadLines()
    {
        var path = _folder.Write("data.jsonl",
            "{\"text\": \"hi\", \"intent\": \"greet\"}\n" +
            "\n" +
            "{\"text\": \"bye\", \"label\": \"goodbye\"}\n" +
            "{\"text\": \"broken\"\n" +
            "[1, 2]\n" +
            "{\"text\": \"n\", \"label\": 7}\n");

        var dataset = await DatasetReader.ReadAsync(path);

        Assert.Equal(DatasetFormat.Jsonl, dataset.Format);
        Assert.Equal([new DatasetItem("hi", "greet", 1), new DatasetItem("bye", "goodbye", 3), new DatasetItem("n", "7", 6)], dataset.AllItems);
        Assert.Equal([4, 5], dataset.ReadErrors.Select(e => e.Line));
        Assert.Contains("malformed JSON", dataset.ReadErrors[0].Message);
        Assert.Contains("found array", dataset.ReadErrors[1].Message);
    }

    [Fact]
    public async Task ReadAsync_ClincSmall_KeepsSplitsFoldsOutOfScopeAndTracksLines()
    {
        var dataset = await DatasetReader.ReadAsync(ClincSmall);

        Assert.Equal(DatasetFormat.Clinc, dataset.Format);
        Assert.Equal(["train", "val", "test"], dataset.Splits.Keys);
        Assert.Equal(7500 + 100, dataset.Splits["train"].Count);
        Assert.Equal(3000 + 100, dataset.Splits["val"].Count);
        Assert.Equal(4500 + 1000, dataset.Splits["test"].Count);
        Assert.Equal(150 + 1, dataset.AllItems.Select(i => i.Intent).Distinct().Count());
        Assert.Equal(new DatasetItem("can you walk me through setting up direct deposits to my bank of internet savings account", "direct_deposit", 12407),
            dataset.Splits["train"][0]);
        Assert.Equal(100, dataset.Splits["train"].Count(i => i.Intent == OutOfScope.Label));
    }

    [Fact]
    public async Task ReadAsync_ClincLayoutWithBadItem_FoldsOosAsLabelAndReportsItemLine()
    {
        var path = _folder.Write("mini.json", """
            {
              "train": [["book a flight", "book_flight"], ["pay my bill", "pay_bill"]],
              "oos_train": [["what is love", "anything"]],
              "test": [
                ["cancel my flight", "book_flight"],
                ["only one"]
              ]
            }
            """);

        var dataset = await DatasetReader.ReadAsync(path);

        Assert.Equal(["train", "test"], dataset.Splits.Keys);
        Assert.Equal(new DatasetItem("what is love", OutOfScope.Label, 3), dataset.Splits["train"][2]);
        Assert.Equal(new DatasetItem("cancel my flight", "book_flight", 5), dataset.Splits["test"].Single());
        var error = Assert.Single(dataset.ReadErrors);
        Assert.Equal(6, error.Line);
    }

    [Fact]
    public async Task ReadAsync_RasaYaml_ReadsExamplesStripsEntitiesAndTracksLines()
    {
        var path = _folder.Write("nlu.yml", """
            version: "3.1"
            nlu:
            - intent: greet
              examples: |
                - hey
                - good morning
            - synonym: NYC
              examples: |
                - New York
            - intent: book_flight
              examples: |
                - fly to [Berlin](city) on [Monday]{"entity": "day"}

                - a ticket to [Paris](city)
            """);

        var dataset = await DatasetReader.ReadAsync(path);

        Assert.Equal(DatasetFormat.RasaYaml, dataset.Format);
        Assert.Empty(dataset.ReadErrors);
        Assert.Equal(
            [
                new DatasetItem("hey", "greet", 5),
                new DatasetItem("good morning", "greet", 6),
                new DatasetItem("fly to Berlin on Monday", "book_flight", 12),
                new DatasetItem("a ticket to Paris", "book_flight", 14),
            ],
            dataset.AllItems);
    }

    [Fact]
    public async Task ReadAsync_MissingFile_ThrowsDatasetException()
    {
        var path = Path.Combine(_folder.Path, "nope.csv");

        var e = await Assert.ThrowsAsync<DatasetException>(() => DatasetReader.ReadAsync(path));

        Assert.Contains("not found", e.Message);
        Assert.Equal(path, e.File);
    }

    [Theory]
    [InlineData("a.csv", "text,intent\nhi,greet\n", DatasetFormat.Csv)]
    [InlineData("a.tsv", "text\tintent\nhi\tgreet\n", DatasetFormat.Tsv)]
    [InlineData("a.jsonl", "{\"text\":\"hi\",\"intent\":\"greet\"}\n", DatasetFormat.Jsonl)]
    [InlineData("a.json", "{\"text\":\"hi\",\"intent\":\"greet\"}\n{\"text\":\"yo\",\"intent\":\"greet\"}\n", DatasetFormat.Jsonl)]
    [InlineData("a.json", "{\"train\": [[\"hi\", \"greet\"]], \"test\": []}", DatasetFormat.Clinc)]
    [InlineData("a.yaml", "nlu:\n- intent: greet\n  examples: |\n    - hi\n", DatasetFormat.RasaYaml)]
    [InlineData("a.txt", "text\tintent\nhi\tgreet\n", DatasetFormat.Tsv)]
    [InlineData("data", "text,intent\nhi,greet\n", DatasetFormat.Csv)]
    public void DetectFormat_ExtensionAndContent_DetectsFormat(string name, string content, DatasetFormat expected)
    {
        Assert.Equal(expected, DatasetReader.DetectFormat(name, content));
    }

    [Theory]
    [InlineData("a.yaml", "intents:\n- greet\n")]
    [InlineData("a.json", "{\n  \"utterances\": []\n}")]
    [InlineData("a.txt", "just some words\n")]
    public void DetectFormat_UnknownContent_ThrowsAskingForFormat(string name, string content)
    {
        var e = Assert.Throws<DatasetException>(() => DatasetReader.DetectFormat(name, content));

        Assert.Contains("cannot tell the data format", e.Message);
    }

    [Fact]
    public async Task ReadAsync_ExplicitFormat_OverridesExtension()
    {
        var path = _folder.Write("data.txt", "{\"text\":\"hi\",\"intent\":\"greet\"}\n");

        var dataset = await DatasetReader.ReadAsync(path, new DatasetReadOptions { Format = DatasetFormat.Jsonl });

        Assert.Equal("greet", dataset.AllItems.Single().Intent);
    }

    [Fact]
    public void DataHash_SameItemsInOtherOrderOrSpacing_IsEqualButChangesWithLabel()
    {
        DatasetItem[] items = [new("hi there", "greet", 1), new("bye", "goodbye", 2)];
        DatasetItem[] reordered = [new("bye ", "goodbye", 9), new("hi  there", "greet", 8)];
        DatasetItem[] relabelled = [new("hi there", "greet", 1), new("bye", "greet", 2)];

        Assert.Equal(DataHash.Compute(items), DataHash.Compute(reordered));
        Assert.NotEqual(DataHash.Compute(items), DataHash.Compute(relabelled));
        Assert.Matches("^sha256:[0-9a-f]{64}$", DataHash.Compute(items));
    }

    [Fact]
    public async Task ReadAsync_NotUtf8_ThrowsNamingTheLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"parley-latin1-{Guid.NewGuid():N}.csv");
        await File.WriteAllBytesAsync(path, [.. "text,intent\nhello,greet\ncaf"u8.ToArray(), 0xE9, .. " au lait,order\n"u8.ToArray()]);
        try
        {
            var e = await Assert.ThrowsAsync<DatasetException>(() => DatasetReader.ReadAsync(path));

            Assert.Equal(3, e.Line);
            Assert.Contains("not valid UTF-8", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ReadAsync_Utf8WithByteOrderMark_Reads()
    {
        var path = Path.Combine(Path.GetTempPath(), $"parley-bom-{Guid.NewGuid():N}.csv");
        await File.WriteAllBytesAsync(path, [.. "\uFEFFtext,intent\ncafé,order\n"u8.ToArray()]);
        try
        {
            var data = await DatasetReader.ReadAsync(path);

            Assert.Equal("café", Assert.Single(data.AllItems).Text);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
