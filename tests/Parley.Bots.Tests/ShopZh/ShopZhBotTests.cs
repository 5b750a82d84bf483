using System.Text.Json;
using Microsoft.Extensions.AI;
using Parley.Bots.Knowledge;
using Parley.Bots.Packs;
using Parley.Bots.Replies;
using Parley.Bots.Tools;
using Parley.Core.Conversations;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.Bots.Tests.ShopZh;

/// <summary>
/// The Chinese shop pack end to end, offline, through the bot's own pipeline: its eval files (intent checks with
/// colloquial and homophone-typo wordings, knowledge checks, out-of-scope questions and a scripted conversation).
/// The numbers are in docs/BENCHMARKS.md.
/// </summary>
public sealed class ShopZhBotTests(ShopZhBotFixture fixture, ITestOutputHelper output) : IClassFixture<ShopZhBotFixture>
{
    private static IEnumerable<JsonElement> ReadJsonl(string name) =>
        File.ReadLines(Path.Combine(ShopZhBotFixture.PackFolder, "eval", name))
            .Where(l => l.Trim().Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone());

    private async Task<(ChatResponse Response, BotReplyInfo Info)> AskAsync(IEnumerable<ChatMessage> history)
    {
        var response = await fixture.Bot.ChatClient.GetResponseAsync([new ChatMessage(ChatRole.System, fixture.Bot.SystemPrompt), .. history]);
        return (response, BotReplyInfo.From(response.AdditionalProperties));
    }

    private Task<(ChatResponse Response, BotReplyInfo Info)> AskAsync(string text) => AskAsync([new ChatMessage(ChatRole.User, text)]);

    [Fact]
    public void Pack_ChineseManifest_SearchesKnowledgeLexically()
    {
        Assert.Equal(BotLanguages.Chinese, fixture.Bot.Pack.Manifest.Language);
        Assert.IsType<LexicalKnowledgeSearch>(fixture.Bot.Knowledge);
        Assert.True(fixture.Bot.Classifier.IsTrained);
    }

    [Fact]
    public async Task Pipeline_IntentChecks_AtLeast90PercentAnsweredByTheRightTemplate()
    {
        var checks = ReadJsonl("intent-checks.jsonl").Select(e => (Text: e.GetProperty("text").GetString()!, Intent: e.GetProperty("intent").GetString()!)).ToArray();
        var wrong = new List<string>();
        foreach (var (text, intent) in checks)
        {
            var (_, info) = await AskAsync(text);
            var route = fixture.Bot.Pack.IntentsByName[intent].Tool is null ? BotRoutes.Template : BotRoutes.Tool;
            if (info.Route != route || info.Intent?.Name != intent)
            {
                wrong.Add($"{text} → {info.Route} {info.Intent?.Name} ({info.Intent?.Confidence:0.00}), expected {intent}");
            }
        }

        output.WriteLine($"{checks.Length - wrong.Count}/{checks.Length} right");
        wrong.ForEach(output.WriteLine);
        Assert.True(checks.Length >= 50);
        Assert.True(checks.Length - wrong.Count >= checks.Length * 0.9, string.Join("\n", wrong));
    }

    [Fact]
    public async Task Knowledge_KnowledgeChecks_RelevantDocumentInTopThreeForAtLeast90Percent()
    {
        var checks = ReadJsonl("knowledge-checks.jsonl").ToArray();
        var found = 0;
        foreach (var check in checks)
        {
            var query = check.GetProperty("query").GetString()!;
            var relevant = check.GetProperty("relevant").EnumerateArray().Select(r => r.GetString()).ToHashSet();
            var hits = await fixture.Bot.Knowledge.SearchAsync(query, 3);
            var ok = hits.Any(h => relevant.Contains(h.Passage.Source));
            found += ok ? 1 : 0;
            output.WriteLine($"{(ok ? "ok " : "MISS")} {query} → {string.Join(", ", hits.Select(h => $"{h.Passage.Id} {h.Score:0.00}"))}");
        }

        output.WriteLine($"{found}/{checks.Length}");
        Assert.True(checks.Length >= 40);
        Assert.True(found >= checks.Length * 0.9, $"{found}/{checks.Length}");
    }

    [Fact]
    public async Task Pipeline_KnowledgeChecks_AnswersCiteTheRelevantDocumentOrFallBack()
    {
        var checks = ReadJsonl("knowledge-checks.jsonl").ToArray();
        int right = 0, wrong = 0, fallback = 0;
        foreach (var check in checks)
        {
            var query = check.GetProperty("query").GetString()!;
            var relevant = check.GetProperty("relevant").EnumerateArray().Select(r => r.GetString()).ToHashSet();
            var (_, info) = await AskAsync(query);
            var ok = info.Sources.Any(s => relevant.Contains(s.Source));
            right += ok ? 1 : 0;
            wrong += !ok && info.Route != BotRoutes.Fallback ? 1 : 0;
            fallback += info.Route == BotRoutes.Fallback ? 1 : 0;
            output.WriteLine($"{(ok ? "ok   " : info.Route == BotRoutes.Fallback ? "FALLB" : "WRONG")} {query} → {info.Route} {info.Intent?.Name} {string.Join(", ", info.Sources.Select(s => s.Source))}");
        }

        output.WriteLine($"right {right}, wrong {wrong}, fallback {fallback} of {checks.Length}");
        // Measured 36 right, 13 wrong, 1 fallback (docs/BENCHMARKS.md): the wrong ones are mostly templates of
        // intents whose examples share characters with the question.
        Assert.True(right >= checks.Length * 0.7, $"right {right}/{checks.Length}");
        Assert.True(wrong <= checks.Length * 0.3, $"wrong {wrong}/{checks.Length}");
    }

    [Fact]
    public async Task Pipeline_OutOfScopeQuestions_FallBackWithTheChineseFallback()
    {
        var questions = ReadJsonl("out-of-scope.jsonl").Select(e => e.GetProperty("text").GetString()!).ToArray();
        var answered = new List<string>();
        foreach (var text in questions)
        {
            var (response, info) = await AskAsync(text);
            if (info.Route != BotRoutes.Fallback)
            {
                answered.Add($"{text} → {info.Route} {info.Intent?.Name} {string.Join(", ", info.Sources.Select(s => s.Source))}");
                continue;
            }

            Assert.Equal(fixture.Bot.Pack.Manifest.Fallback, response.Text);
        }

        answered.ForEach(output.WriteLine);
        // Measured 8/10 (docs/BENCHMARKS.md).
        Assert.True(answered.Count <= questions.Length / 5, string.Join("\n", answered));
        Assert.Contains("抱歉", fixture.Bot.Pack.Manifest.Fallback);
    }

    [Fact]
    public async Task Classifier_EverydayQuestions_OutOfScopeForTheIntentsWhileShopMessagesStayIn()
    {
        // tests/data/shop-zh-everyday, the dev set IntentGate.CharNGramSure was chosen on: measured 19/20 and 17/21
        // (13/21 before words the pack never uses counted; docs/BENCHMARKS.md).
        var folder = Path.Combine(TestPaths.Root, "tests", "data", "shop-zh-everyday");
        var right = 0;
        var inScope = File.ReadLines(Path.Combine(folder, "intent-checks.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        foreach (var check in inScope)
        {
            var best = (await fixture.Bot.Classifier.ClassifyAsync(check.GetProperty("text").GetString()!)).Best!;
            right += best.Intent == check.GetProperty("intent").GetString() ? 1 : 0;
        }

        var letIn = new List<string>();
        var questions = File.ReadLines(Path.Combine(folder, "out-of-scope.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!).ToArray();
        foreach (var question in questions)
        {
            var best = (await fixture.Bot.Classifier.ClassifyAsync(question)).Best!;
            if (best.Intent != Parley.Nlu.Intents.OutOfScope.Label)
            {
                letIn.Add($"{question} → {best.Intent}");
            }
        }

        output.WriteLine($"in scope {right}/{inScope.Length} right, out of scope {questions.Length - letIn.Count}/{questions.Length} rejected");
        letIn.ForEach(output.WriteLine);
        Assert.True(right >= 18, $"in scope {right}/{inScope.Length}");
        Assert.True(questions.Length - letIn.Count >= 16, string.Join("\n", letIn));
    }

    [Fact]
    public async Task Pipeline_KnowledgeQuestion_QuotesThePassageWithChineseIntroductionAndSourceLine()
    {
        var (response, info) = await AskAsync("生锈的铸铁锅要怎么重新开锅");

        output.WriteLine(response.Text);
        Assert.Equal(BotRoutes.Retrieval, info.Route);
        Assert.Equal("product-care.md", Assert.Single(info.Sources).Source);
        Assert.StartsWith("以下是我们《商品保养指南》页面中“铸铁锅和铸铁煎锅”部分的说明：", response.Text);
        Assert.EndsWith("来源：product-care.md", response.Text);
        Assert.DoesNotContain("Source:", response.Text);
        Assert.DoesNotContain("Here is what", response.Text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Conversation_ScriptedTurns_EachRoutedAsScriptedWithChineseReplies(bool streaming)
    {
        var turns = ReadJsonl("conversation.jsonl").ToArray();
        Assert.True(turns.Length >= 10);
        // A stored session, as parley chat keeps one: a tool's form (asking for the order number) spans two turns.
        var store = new InMemoryConversationStore();
        var session = $"zh-{streaming}";
        foreach (var turn in turns)
        {
            var user = turn.GetProperty("user").GetString()!;
            var chat = await ChatSession.OpenAsync(fixture.Bot.ChatClient, store, fixture.Bot.Name, session, fixture.Bot.SystemPrompt);
            var options = new ChatOptions().ForSession(session);
            var response = streaming
                ? await chat.SendStreamingAsync(user, options).ToChatResponseAsync()
                : await chat.SendAsync(user, options);
            var info = BotReplyInfo.From(response.AdditionalProperties);
            output.WriteLine($"用户: {user}\n助手 ({info.Route} {info.Intent?.Name}): {response.Text}\n");

            Assert.Equal(turn.GetProperty("route").GetString(), info.Route);
            if (turn.TryGetProperty("intent", out var intent))
            {
                Assert.Equal(intent.GetString(), info.Intent?.Name);
            }

            if (turn.TryGetProperty("source", out var source))
            {
                Assert.Contains(info.Sources, s => s.Source == source.GetString());
            }

            if (turn.TryGetProperty("tool", out var tool))
            {
                Assert.Equal(tool.GetString(), Assert.Single(info.ToolCalls!).Name);
            }

            if (turn.TryGetProperty("contains", out var contains))
            {
                Assert.Contains(contains.GetString()!, response.Text, StringComparison.Ordinal);
            }

            // Every reply is written in Chinese: no English sentence from the pipeline itself.
            Assert.Contains(response.Text, c => c is >= '\u4E00' and <= '\u9FFF');
            Assert.DoesNotContain("Source:", response.Text);
            Assert.DoesNotContain("Order ", response.Text);
        }
    }
}
