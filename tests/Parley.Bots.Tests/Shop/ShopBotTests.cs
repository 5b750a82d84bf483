using System.Text.Json;
using Microsoft.Extensions.AI;
using Parley.Bots.Replies;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.Bots.Tests.Shop;

public sealed class ShopBotTests(ShopBotFixture fixture, ITestOutputHelper output) : IClassFixture<ShopBotFixture>
{
    private static IEnumerable<JsonElement> ReadJsonl(string name) =>
        File.ReadLines(Path.Combine(TestPaths.ShopBot, "eval", name))
            .Where(l => l.Trim().Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone());

    private async Task<(ChatResponse Response, BotReplyInfo Info)> AskAsync(string text)
    {
        var response = await fixture.Bot.ChatClient.GetResponseAsync(
            [new ChatMessage(ChatRole.System, fixture.Bot.SystemPrompt), new ChatMessage(ChatRole.User, text)]);
        return (response, BotReplyInfo.From(response.AdditionalProperties));
    }

    [Fact]
    public async Task Classifier_HeldOutIntentChecks_AtLeast90PercentCorrect()
    {
        var checks = ReadJsonl("intent-checks.jsonl").Select(e => (Text: e.GetProperty("text").GetString()!, Intent: e.GetProperty("intent").GetString()!)).ToArray();
        var wrong = new List<string>();
        foreach (var (text, intent) in checks)
        {
            var best = (await fixture.Bot.Classifier.ClassifyAsync(text)).Best;
            if (best?.Intent != intent)
            {
                wrong.Add($"{text} → {best?.Intent} ({best?.Confidence:0.00}), expected {intent}");
            }
        }

        wrong.ForEach(output.WriteLine);
        Assert.True(checks.Length >= 20);
        Assert.True(wrong.Count <= checks.Length / 10, string.Join("\n", wrong));
    }

    [Fact]
    public async Task Knowledge_KnowledgeChecks_RelevantDocumentInTopThreeForAtLeast80Percent()
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

        Assert.True(found >= checks.Length * 0.8, $"{found}/{checks.Length}");
    }

    [Fact]
    public async Task Pipeline_ShippingQuestion_AnswersFromTemplateWithSource()
    {
        var (response, info) = await AskAsync("how long does shipping take?");

        Assert.Equal(BotRoutes.Template, info.Route);
        Assert.Equal("shipping_times", info.Intent?.Name);
        Assert.Contains(info.Sources, s => s.Source == "shipping.md");
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
    }

    [Fact]
    public async Task Pipeline_KnowledgeOnlyQuestion_QuotesAPassageWithItsSource()
    {
        var check = ReadJsonl("knowledge-checks.jsonl").First();
        var (response, info) = await AskAsync(check.GetProperty("query").GetString()!);

        output.WriteLine(response.Text);
        Assert.Equal(BotRoutes.Retrieval, info.Route);
        var source = Assert.Single(info.Sources);
        Assert.Contains(source.Source, response.Text);
    }

    [Fact]
    public async Task Pipeline_UnrelatedQuestion_FallsBackHonestly()
    {
        var (response, info) = await AskAsync("what is the boiling point of tungsten on mars?");

        Assert.Equal(BotRoutes.Fallback, info.Route);
        Assert.Null(info.Intent);
        Assert.Empty(info.Sources);
        Assert.Equal(fixture.Bot.Pack.Manifest.Fallback, response.Text);
    }
}
