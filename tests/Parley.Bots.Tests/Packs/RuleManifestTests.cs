using Parley.Bots.Packs;

namespace Parley.Bots.Tests.Packs;

public sealed class RuleManifestTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-rules-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<BotPack> LoadAsync(string rules)
    {
        File.WriteAllText(Path.Combine(_dir, "bot.yaml"), "name: t\nrules:\n" + rules);
        Directory.CreateDirectory(Path.Combine(_dir, "intents"));
        File.WriteAllText(Path.Combine(_dir, "intents", "a.yaml"), "intents:\n  - name: hi\n    examples: [hello]\n    response: Hi!\n");
        return BotPackLoader.LoadAsync(_dir);
    }

    [Fact]
    public async Task LoadAsync_AllKindsOfRules_Read()
    {
        var pack = await LoadAsync("""
              input:
                - name: emergency
                  phrases: [chest pain]
                  patterns: ['\bstroke\b']
                  intent: hi
                  reply: Call 112.
                  then: answer
              output:
                - name: no_dosing
                  description: No doses.
                  patterns: ['\d+ ?mg']
                  reply: Ask a pharmacist.
              disclaimers:
                - text: Not advice.
                  routes: [llm, retrieval]
            """);

        var rules = pack.Manifest.Rules;
        var input = Assert.Single(rules.Input);
        Assert.Equal(("emergency", "hi", InputRuleAction.Answer, "Call 112."), (input.Name, input.Intent, input.Then, input.Reply));
        Assert.NotNull(input.Patterns.Find("I have CHEST PAIN"));
        Assert.NotNull(input.Patterns.Find("a Stroke?"));
        Assert.Null(input.Patterns.Find("heat strokes"));
        Assert.Equal("No doses.", Assert.Single(rules.Output).Description);
        Assert.Equal(["llm", "retrieval"], Assert.Single(rules.Disclaimers).Routes);
    }

    [Theory]
    [InlineData("  input:\n    - name: x\n      reply: y\n", "bot.yaml:4", "nothing to fire on")]
    [InlineData("  input:\n    - name: x\n      intent: nope\n      reply: y\n", "bot.yaml:4", "intent 'nope'")]
    [InlineData("  output:\n    - name: x\n      patterns: ['(']\n      reply: y\n", "bot.yaml:5", "invalid regular expression")]
    [InlineData("  output:\n    - name: x\n      phrases: [a]\n", "bot.yaml:4", "rules.output[0].reply")]
    [InlineData("  input:\n    - name: x\n      phrases: [a]\n      reply: y\n      then: maybe\n", "bot.yaml:7", "'stop'")]
    [InlineData("  disclaimers:\n    - text: t\n      routes: [sometimes]\n", "bot.yaml:5", "route 'sometimes'")]
    [InlineData("  inputs: []\n", "bot.yaml:3", "unknown field 'rules.inputs'")]
    [InlineData("  input:\n    - name: x\n      phrases: [a]\n      reply: y\n  output:\n    - name: x\n      phrases: [b]\n      reply: z\n", "bot.yaml:8", "used twice")]
    public async Task LoadAsync_InvalidRule_NamesFileLineAndWhatToFix(string rules, string where, string what)
    {
        var e = await Assert.ThrowsAsync<BotPackException>(() => LoadAsync(rules));

        Assert.Contains(where, e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public async Task LoadAsync_Handoff_ReadWithItsWebhook()
    {
        File.WriteAllText(Path.Combine(_dir, "bot.yaml"), "name: t\nhandoff:\n  after_fallbacks: 3\n  intent: hi\n  phrases: [a person]\n  webhook:\n    url: http://127.0.0.1:9/hook\n    deadline_seconds: 5\n");
        Directory.CreateDirectory(Path.Combine(_dir, "intents"));
        File.WriteAllText(Path.Combine(_dir, "intents", "a.yaml"), "intents:\n  - name: hi\n    examples: [hello]\n    response: Hi!\n");

        var handoff = (await BotPackLoader.LoadAsync(_dir)).Manifest.Handoff!;

        Assert.Equal((3, "hi", "http://127.0.0.1:9/hook", 5.0, 3), (handoff.AfterFallbacks, handoff.Intent, handoff.WebhookUrl?.ToString(), handoff.WebhookDeadline.TotalSeconds, handoff.WebhookAttempts));
        Assert.NotNull(handoff.Patterns.Find("can I have a person"));

        File.WriteAllText(Path.Combine(_dir, "bot.yaml"), "name: t\nhandoff:\n  webhook:\n    url: ftp://x\n");
        var e = await Assert.ThrowsAsync<BotPackException>(() => BotPackLoader.LoadAsync(_dir));
        Assert.Contains("bot.yaml:4", e.Message);
        Assert.Contains("handoff.webhook.url", e.Message);
    }
}
