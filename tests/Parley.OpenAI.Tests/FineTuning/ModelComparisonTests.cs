using System.Text.Json;
using Microsoft.Extensions.AI;
using Parley.OpenAI.FineTuning;
using Parley.Testing;

namespace Parley.OpenAI.Tests.FineTuning;

/// <summary>The comparison of a base and a fine-tuned model: data reading, scoring, the runner over real SDK clients, the report.</summary>
public sealed class ModelComparisonTests : IAsyncLifetime, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-cmp-").FullName;
    private OpenAITestServer _server = null!;

    public async Task InitializeAsync() => _server = await OpenAITestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Intent data: the tuned model knows every label, the base model only "greet" (and answers "GREET " to test normalising).</summary>
    private static readonly (string Text, string Label)[] Intents =
    [
        ("hello there", "greet"),
        ("where is my parcel", "track_order"),
        ("I want my money back", "refund"),
        ("bye now", "goodbye"),
        ("<b>cancel</b> it", "cancel & stop"),
    ];

    private void AnswerByModel()
    {
        _server.Responder = request =>
        {
            var body = request.Json!;
            var model = body["model"]!.GetValue<string>();
            var text = body["messages"]!.AsArray()[^1]!["content"]!.GetValue<string>();
            var label = Intents.Single(i => i.Text == text).Label;
            return ServerStep.Reply(model.StartsWith("ft:", StringComparison.Ordinal) ? label : label == "greet" ? "  GREET " : "no idea");
        };
    }

    [Fact]
    public void Read_ChatFormat_PromptIsEverythingBeforeTheLastAssistantMessage()
    {
        var examples = ComparisonDataReader.Read("t.jsonl", """
            {"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"},{"role":"assistant","content":"Hello!"},{"role":"user","content":"bye"},{"role":"assistant","content":[{"type":"text","text":"Good"},{"type":"text","text":"bye!"}]}]}

            {"text":"where is my parcel","label":"track_order"}
            """);

        Assert.Equal(2, examples.Count);
        Assert.Equal(4, examples[0].Prompt.Count);
        Assert.Equal("Goodbye!", examples[0].Expected);
        Assert.Equal("bye", examples[0].LastUserText);
        Assert.Equal(3, examples[1].Line);
        Assert.Equal("track_order", examples[1].Expected);
        Assert.Equal(ChatRole.User, Assert.Single(examples[1].Prompt).Role);
    }

    [Theory]
    [InlineData("{\"text\":\"a\",\"label\":\"x\"}\nnot json", "t.jsonl:2: not JSON")]
    [InlineData("{\"text\":\"a\"}", "t.jsonl:1: expected \"messages\"")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "t.jsonl:1: no assistant message")]
    [InlineData("{\"messages\":[{\"role\":\"assistant\",\"content\":\"hi\"}]}", "t.jsonl:1: no user message")]
    [InlineData("\n\n", "t.jsonl has no examples")]
    public void Read_BadLine_FailsNamingTheLine(string content, string expected)
    {
        var error = Assert.Throws<FineTuningException>(() => ComparisonDataReader.Read("t.jsonl", content));

        Assert.StartsWith(expected, error.Message);
    }

    [Theory]
    [InlineData("  Track   order\n", "track order", true)]
    [InlineData("GREET", "greet", true)]
    [InlineData("greet.", "greet", false)]
    [InlineData("", "   ", true)]
    public void Matches_NormalisesWhitespaceAndCaseOnly(string answer, string expected, bool matches) =>
        Assert.Equal(matches, AnswerMatcher.Matches(answer, expected));

    [Fact]
    public async Task RunAsync_TwoScriptedModels_GivesExactAccuraciesAndTheDifferingSample()
    {
        AnswerByModel();
        var examples = ComparisonDataReader.Read("test.jsonl", string.Join('\n', Intents.Select(i => JsonSerializer.Serialize(new { text = i.Text, label = i.Label }))));
        var endpoint = new OpenAIEndpointOptions { BaseUrl = _server.BaseUrl, Model = "unused" };
        using var client = OpenAIChatClientFactory.CreatePipeline(endpoint);

        var result = await ModelComparisonRunner.RunAsync(client, "all-MiniLM-L6-v2", client, "ft:all-MiniLM-L6-v2:shop:ftjob-1", "test.jsonl", examples);

        Assert.Equal(5, result.Examples);
        Assert.Equal(1, result.BaseCorrect);
        Assert.Equal(0.2, result.BaseAccuracy, 6);
        Assert.Equal(5, result.TunedCorrect);
        Assert.Equal(1.0, result.TunedAccuracy, 6);
        Assert.Equal(4, result.Differing);
        Assert.Equal([2, 3, 4, 5], result.Sample.Select(i => i.Line));
        Assert.All(result.Sample, i => Assert.Equal("no idea", i.BaseAnswer));
        Assert.Equal(10, _server.ChatRequests.Count);
        Assert.All(_server.ChatRequests, r => Assert.Equal(0, r.Json!["temperature"]!.GetValue<double>()));
        var json = result.ToJson();
        Assert.Equal(0.2, json["base"]!["accuracy"]!.GetValue<double>());
        Assert.Equal(4, json["sample"]!.AsArray().Count);
    }

    [Fact]
    public async Task RunAsync_ManyExamples_KeepsAtMostMaxConcurrencyRequestsInFlightAndSamplesTwenty()
    {
        var inFlight = 0;
        var most = 0;
        var client = new TestChatClient
        {
            GetResponseAsyncCallback = async (messages, options, token) =>
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref most, now);
                await Task.Delay(5, token);
                Interlocked.Decrement(ref inFlight);
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, options!.ModelId == "tuned" ? "right" : "wrong"));
            },
        };
        var examples = Enumerable.Range(1, 30).Select(i => new ComparisonExample(i, [new ChatMessage(ChatRole.User, $"q{i}")], "right")).ToList();

        var result = await ModelComparisonRunner.RunAsync(client, "base", client, "tuned", "d", examples, new ModelComparisonOptions { MaxConcurrency = 3 });

        Assert.InRange(most, 1, 3);
        Assert.Equal(60, client.ResponseCalls);
        Assert.Equal(30, result.Differing);
        Assert.Equal(20, result.Sample.Count);
        Assert.Equal(0, result.BaseCorrect);
        Assert.Equal(30, result.TunedCorrect);
    }

    [Fact]
    public async Task WriteAsync_WritesSelfContainedEncodedReportAndResults()
    {
        AnswerByModel();
        var examples = ComparisonDataReader.Read("test.jsonl", string.Join('\n', Intents.Select(i => JsonSerializer.Serialize(new { text = i.Text, label = i.Label }))));
        using var client = OpenAIChatClientFactory.CreatePipeline(new OpenAIEndpointOptions { BaseUrl = _server.BaseUrl, Model = "unused" });
        var result = await ModelComparisonRunner.RunAsync(client, "all-MiniLM-L6-v2", client, "ft:all-MiniLM-L6-v2:shop:ftjob-1", "test.jsonl", examples);
        var folder = Path.Combine(_dir, "report");

        await ComparisonReportWriter.WriteAsync(folder, result);

        var html = File.ReadAllText(Path.Combine(folder, "report.html"));
        Assert.Contains("20.0%", html);
        Assert.Contains("100.0%", html);
        Assert.Contains("ft:all-MiniLM-L6-v2:shop:ftjob-1", html);
        Assert.Contains("&lt;b&gt;cancel&lt;/b&gt; it", html);
        Assert.Contains("cancel &amp; stop", html);
        Assert.DoesNotContain("<b>cancel", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("src=", html);
        Assert.DoesNotContain("href=", html);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")));
        Assert.Equal(5, results.RootElement.GetProperty("items").GetArrayLength());
        Assert.Equal(4, results.RootElement.GetProperty("differing").GetInt32());
        Assert.Equal(["report.html", "results.json"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
