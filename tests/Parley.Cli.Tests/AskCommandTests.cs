using System.Text.Json;
using Parley.Testing;

namespace Parley.Cli.Tests;

public sealed class AskCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    public static TheoryData<string, string> Utterances()
    {
        var data = new TheoryData<string, string>();
        foreach (var line in File.ReadLines(Path.Combine(TestPaths.ShopBot, "eval", "intent-checks.jsonl")).Where(l => l.Trim().Length > 0).Take(12))
        {
            var e = JsonDocument.Parse(line).RootElement;
            data.Add(e.GetProperty("text").GetString()!, e.GetProperty("intent").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Utterances))]
    public async Task AskJson_Offline_RoutesUtteranceToItsIntent(string text, string intent)
    {
        var result = await _cli.RunAsync(["ask", "--json", text]);

        result.AssertSucceeded();
        var json = result.Json();
        Assert.Equal(intent, json.GetProperty("intent").GetProperty("name").GetString());
        // Order status is a tool with an order-number slot: without a number the bot asks for it.
        Assert.Equal(intent == "order_status" ? "tool" : "template", json.GetProperty("route").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("reply").GetString()));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("usage").ValueKind);
        Assert.Equal(JsonValueKind.Array, json.GetProperty("tool_calls").ValueKind);
    }

    [Fact]
    public async Task AskJson_KnowledgeQuestion_AnswersWithASource()
    {
        var result = await _cli.RunAsync(["ask", "--json", "can a wooden chopping board go in the dishwasher?"]);

        result.AssertSucceeded();
        var json = result.Json();
        Assert.Equal("retrieval", json.GetProperty("route").GetString());
        var source = Assert.Single(json.GetProperty("sources").EnumerateArray());
        Assert.Equal("product-care.md", source.GetProperty("source").GetString());
        Assert.StartsWith("product-care.md#", source.GetProperty("id").GetString());
        Assert.True(source.GetProperty("score").GetDouble() > 0.45);
        Assert.Contains("product-care.md", json.GetProperty("reply").GetString());
    }

    [Fact]
    public async Task Ask_ModelWithoutEndpoint_WarnsThatItAnswersOffline()
    {
        var result = await _cli.RunAsync(["ask", "--model", "ft:all-MiniLM-L6-v2:shop:ftjob-x", "how long does shipping take?"]);

        result.AssertSucceeded();
        Assert.Contains("warning: --model ft:all-MiniLM-L6-v2:shop:ftjob-x has no effect without an LLM endpoint", result.Error);
    }

    [Fact]
    public async Task Ask_ModelWithEndpoint_DoesNotWarn()
    {
        var result = await _cli.RunAsync(["ask", "--model", "some-model", "--base-url", "http://127.0.0.1:9/v1", "hello"]);

        Assert.DoesNotContain("has no effect", result.Error);
    }

    [Fact]
    public async Task Ask_ShippingQuestion_PrintsAnswerAndSource()
    {
        var result = await _cli.RunAsync(["ask", "how long does shipping take?"]);

        result.AssertSucceeded();
        Assert.Contains("Sources:", result.Output);
        Assert.Contains("shipping.md", result.Output);
        Assert.False(result.Output.Contains('\u001b', StringComparison.Ordinal), "escape codes written to a non-terminal: " + result.Output);
    }

    [Fact]
    public async Task Ask_TextFromStandardInput_IsAnswered()
    {
        var result = await _cli.RunAsync(["ask", "--json", "-"], input: "hello there!\n");

        result.AssertSucceeded();
        Assert.Equal("greeting", result.Json().GetProperty("intent").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Ask_SameSessionTwice_KeepsTheHistory()
    {
        var first = (await _cli.RunAsync(["ask", "--json", "--session", "t1", "hi"])).Json();
        var second = (await _cli.RunAsync(["ask", "--json", "--session", "t1", "thanks a lot"])).Json();
        var show = await _cli.RunAsync(["sessions", "show", "t1", "--json"]);

        Assert.Equal("t1", first.GetProperty("session").GetString());
        Assert.Equal("t1", second.GetProperty("session").GetString());
        var messages = JsonDocument.Parse(show.Output).RootElement.GetProperty("messages");
        Assert.Equal(4, messages.GetArrayLength());
        Assert.Equal("thanks a lot", messages[2].GetProperty("content").GetString());
    }

    [Fact]
    public async Task Ask_NothingToAsk_IsAUsageError()
    {
        var result = await _cli.RunAsync(["ask"], input: "  \n");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nothing to ask", result.Error);
    }

    [Fact]
    public async Task Ask_UnknownOption_IsAUsageError()
    {
        var result = await _cli.RunAsync(["ask", "--frobnicate", "hi"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--frobnicate", result.Error);
    }

    [Fact]
    public async Task Ask_MissingBotFolder_FailsWithOneLineReason()
    {
        var result = await _cli.RunAsync(["ask", "--bot", "/nonexistent/bot", "hi"]);

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("parley: ", result.Error);
        Assert.Contains("/nonexistent/bot", result.Error);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Ask_InvalidBotPack_NamesFileAndLine()
    {
        var bot = Path.Combine(_cli.Directory, "bad-bot");
        Directory.CreateDirectory(bot);
        await File.WriteAllTextAsync(Path.Combine(bot, "bot.yaml"), "name: bad\nthresholds:\n  intent: high\n");

        var result = await _cli.RunAsync(["ask", "--bot", bot, "hi"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("bot.yaml:3", result.Error);
    }

    [Fact]
    public async Task AskJson_OrderNumber_AnswersFromTheOrderStatusTool()
    {
        var result = await _cli.RunAsync(["ask", "--json", "where is my package? order 10023"]);

        result.AssertSucceeded();
        var json = result.Json();
        Assert.Equal("tool", json.GetProperty("route").GetString());
        var call = Assert.Single(json.GetProperty("tool_calls").EnumerateArray());
        Assert.Equal("order_status", call.GetProperty("name").GetString());
        Assert.Equal("10023", call.GetProperty("arguments").GetProperty("orderId").GetString());
        Assert.StartsWith("Order 10023", call.GetProperty("result").GetString());
        Assert.Equal(JsonValueKind.Null, call.GetProperty("approved").ValueKind);
    }

    [Fact]
    public async Task Ask_CalendarChangeAcrossCalls_AsksThenBooksOnYesAndApproveBooksAtOnce()
    {
        string[] bot = ["--bot", Path.Combine(TestPaths.Root, "samples", "bots", "assistant"), "--session", "me"];

        var asked = (await _cli.RunAsync(["ask", .. bot, "--json", "book a call with Anna tomorrow at 10"])).Json();
        Assert.Equal("tool", asked.GetProperty("route").GetString());
        Assert.EndsWith("Shall I go ahead? (yes/no)", asked.GetProperty("reply").GetString());
        var pending = Assert.Single(asked.GetProperty("tool_calls").EnumerateArray());
        Assert.Equal(("calendar_create", false), (pending.GetProperty("name").GetString(), pending.GetProperty("approved").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("result").ValueKind);

        var listed = (await _cli.RunAsync(["ask", .. bot, "--json", "what's on my calendar"])).Json();
        Assert.StartsWith("Your calendar is free", listed.GetProperty("reply").GetString());

        await _cli.RunAsync(["ask", .. bot, "book a call with Anna tomorrow at 10"]);
        var booked = (await _cli.RunAsync(["ask", .. bot, "--json", "yes"])).Json();
        Assert.StartsWith("Booked event 1, call with Anna", booked.GetProperty("reply").GetString());
        Assert.True(Assert.Single(booked.GetProperty("tool_calls").EnumerateArray()).GetProperty("approved").GetBoolean());

        // A weekday two or three days ahead wherever the bot's zone is: "friday" on a Friday afternoon would be past.
        var weekday = DateTime.UtcNow.AddDays(3).DayOfWeek.ToString().ToLowerInvariant();
        var direct = (await _cli.RunAsync(["ask", .. bot, "--approve", "--json", $"schedule lunch with Sam on {weekday} at 1pm"])).Json();
        Assert.StartsWith("Booked event 2, lunch with Sam", direct.GetProperty("reply").GetString());
    }

    [Fact]
    public async Task Chat_ApprovalPrompt_AsksYesOrNo()
    {
        var result = await _cli.RunAsync(
            ["chat", "--bot", Path.Combine(TestPaths.Root, "samples", "bots", "assistant"), "--session", "c1"],
            "book a call with Anna tomorrow at 10\nn\nwhat's on my calendar\nbook a call with Anna tomorrow at 10\ny\n/exit\n");

        result.AssertSucceeded();
        Assert.Contains("Approve? [y/n]", result.Output);
        Assert.Contains("OK, I won't do that. Nothing was changed.", result.Output);
        Assert.Contains("Your calendar is free", result.Output);
        Assert.Contains("Booked event 1, call with Anna", result.Output);
    }
}
