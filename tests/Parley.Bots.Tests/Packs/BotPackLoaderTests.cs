using Parley.Bots.Packs;
using Parley.Testing;

namespace Parley.Bots.Tests.Packs;

public sealed class BotPackLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-pack-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [Fact]
    public async Task LoadAsync_ShopSample_HasTheIntentsAndKnowledgeTheDemoNeeds()
    {
        var pack = await BotPackLoader.LoadAsync(TestPaths.ShopBot);

        Assert.Equal("shop", pack.Name);
        Assert.True(pack.Intents.Count >= 15, $"{pack.Intents.Count} intents");
        Assert.All(pack.Intents, i => Assert.True(i.Examples.Count >= 10, $"{i.Name} has {i.Examples.Count} examples"));
        Assert.All(pack.Intents, i => Assert.True(i.Response is not null || i.Tool is not null, $"{i.Name} has neither a response nor a tool"));
        Assert.Equal("order_status", pack.IntentsByName["order_status"].Tool);
        foreach (var required in new[] { "greeting", "goodbye", "thanks", "order_status", "returns", "refunds", "shipping_times", "payment_methods", "change_address", "cancel_order", "product_availability", "opening_hours", "talk_to_human", "complaint", "who_are_you" })
        {
            Assert.Contains(required, pack.IntentsByName.Keys);
        }

        Assert.True(Directory.GetFiles(pack.KnowledgePath, "*.md").Length >= 10);
    }

    [Fact]
    public async Task LoadAsync_JsonManifest_ReadsTheSameFields()
    {
        Write("bot.json", """{ "name": "j", "persona": "Be brief.", "thresholds": { "intent": 0.8 }, "model": { "max_output_tokens": 99 } }""");
        Write("intents/a.json", """{ "intents": [ { "name": "hi", "examples": ["hello"], "response": "Hi!" } ] }""");

        var pack = await BotPackLoader.LoadAsync(_dir);

        Assert.Equal("j", pack.Name);
        Assert.Equal("Be brief.", pack.Manifest.Persona);
        Assert.Equal(0.8, pack.Manifest.Thresholds.Intent);
        Assert.Equal(99, pack.Manifest.Model.MaxOutputTokens);
        Assert.Equal("Hi!", Assert.Single(pack.Intents).Response);
    }

    [Fact]
    public async Task LoadAsync_MissingManifest_SaysWhichFilesWereExpected()
    {
        var e = await Assert.ThrowsAsync<BotPackException>(() => BotPackLoader.LoadAsync(_dir));
        Assert.Contains("bot.yaml", e.Message);
    }

    [Fact]
    public async Task LoadAsync_MissingName_NamesFileAndField()
    {
        Write("bot.yaml", "persona: hello\n");
        var e = await Assert.ThrowsAsync<BotPackException>(() => BotPackLoader.LoadAsync(_dir));
        Assert.EndsWith("bot.yaml", e.File);
        Assert.Contains("'name'", e.Message);
    }

    [Fact]
    public async Task LoadAsync_BrokenYaml_ReportsTheLine()
    {
        Write("bot.yaml", "name: x\n");
        Write("intents/a.yaml", "intents:\n  - name: a\n    examples: [\"hi\"\n    response: x\n");
        var e = await Assert.ThrowsAsync<BotPackException>(() => BotPackLoader.LoadAsync(_dir));
        Assert.EndsWith("a.yaml", e.File);
        Assert.True(e.Line >= 3, e.Message);
        Assert.Contains("not valid YAML", e.Message);
    }

    [Fact]
    public async Task LoadAsync_UnknownField_IsRejectedWithItsLine()
    {
        Write("bot.yaml", "name: x\nthresholds:\n  intnet: 0.5\n");
        var e = await Assert.ThrowsAsync<BotPackException>(() => BotPackLoader.LoadAsync(_dir));
        Assert.Equal(3, e.Line);
        Assert.Contains("thresholds.intnet", e.Message);
    }

    [Fact]
    public async Task LoadAsync_ThresholdOutOfRange_IsRejected()
    {
        Write("bot.yaml", "name: x\nthresholds:\n  intent: 7\n");
        var e = await Assert.ThrowsAsync<BotPackException>(() => BotPackLoader.LoadAsync(_dir));
        Assert.Equal(3, e.Line);
        Assert.Contains("between", e.Message);
    }

    [Fact]
    public async Task LoadAsync_IntentWithoutExamples_NamesTheIntent()
    {
        Write("bot.yaml", "name: x\n");
        Write("intents/a.yaml", "intents:\n  - name: first\n    examples: [hi]\n  - name: empty\n    response: hello\n");
        var e = await Assert.ThrowsAsync<BotPackException>(() => BotPackLoader.LoadAsync(_dir));
        Assert.Equal(4, e.Line);
        Assert.Contains("'empty'", e.Message);
    }

    [Fact]
    public async Task LoadAsync_SameExampleInTwoIntents_IsAConflict()
    {
        Write("bot.yaml", "name: x\n");
        Write("intents/a.yaml", "intents:\n  - name: one\n    examples: [hello there]\n");
        Write("intents/b.yaml", "intents:\n  - name: two\n    examples: [Hello there]\n");
        var e = await Assert.ThrowsAsync<BotPackException>(() => BotPackLoader.LoadAsync(_dir));
        Assert.Contains("'one'", e.Message);
        Assert.Contains("'two'", e.Message);
    }

    [Fact]
    public async Task LoadAsync_DuplicateIntentName_PointsToBothPlaces()
    {
        Write("bot.yaml", "name: x\n");
        Write("intents/a.yaml", "intents:\n  - name: one\n    examples: [a]\n  - name: one\n    examples: [b]\n");
        var e = await Assert.ThrowsAsync<BotPackException>(() => BotPackLoader.LoadAsync(_dir));
        Assert.Equal(4, e.Line);
        Assert.Contains("defined twice", e.Message);
    }

    [Fact]
    public async Task LoadAsync_SourceNotInKnowledge_IsRejected()
    {
        Write("bot.yaml", "name: x\n");
        Write("intents/a.yaml", "intents:\n  - name: one\n    examples: [a]\n    source: missing.md\n");
        var e = await Assert.ThrowsAsync<BotPackException>(() => BotPackLoader.LoadAsync(_dir));
        Assert.Contains("missing.md", e.Message);
    }

    [Fact]
    public async Task LoadAsync_BadName_IsRejected()
    {
        Write("bot.yaml", "name: My Bot\n");
        var e = await Assert.ThrowsAsync<BotPackException>(() => BotPackLoader.LoadAsync(_dir));
        Assert.Equal(1, e.Line);
    }

    [Fact]
    public async Task LoadAsync_Defaults_AreDocumentedValues()
    {
        Write("bot.yaml", "name: x\n");
        var pack = await BotPackLoader.LoadAsync(_dir);
        Assert.Null(pack.Manifest.Thresholds.Intent);
        Assert.Equal(0.45, pack.Manifest.Thresholds.Knowledge);
        Assert.Equal(BotManifest.DefaultPersona, pack.Manifest.Persona);
        Assert.Equal(BotManifest.DefaultFallback, pack.Manifest.Fallback);
        Assert.Empty(pack.Intents);
    }

    [Fact]
    public async Task LoadAsync_ChineseLanguage_DefaultsToChineseFallbackAndPersona()
    {
        Write("bot.yaml", "name: x\nlanguage: zh\n");
        var pack = await BotPackLoader.LoadAsync(_dir);
        Assert.Equal(BotLanguages.Chinese, pack.Manifest.Language);
        Assert.Equal(BotMessages.Chinese.DefaultFallback, pack.Manifest.Fallback);
        Assert.Equal(BotMessages.Chinese.DefaultPersona, pack.Manifest.Persona);
    }

    [Fact]
    public async Task LoadAsync_UnknownLanguage_NamesFileLineAndField()
    {
        Write("bot.yaml", "name: x\nlanguage: fr\n");
        var e = await Assert.ThrowsAsync<BotPackException>(() => BotPackLoader.LoadAsync(_dir));
        Assert.Equal(2, e.Line);
        Assert.Contains("'language'", e.Message);
        Assert.Contains("en, zh", e.Message);
    }

    [Fact]
    public async Task LoadAsync_Method_DefaultsToAutoAndReadsTheGivenOne()
    {
        Write("bot.yaml", "name: x\n");
        Write("intents/a.yaml", "intents:\n  - name: hi\n    examples: [\"hello there\"]\n");
        Assert.Equal("auto", (await BotPackLoader.LoadAsync(_dir)).Manifest.Method);

        Write("bot.yaml", "name: x\nmethod: lora\n");
        var pack = await BotPackLoader.LoadAsync(_dir);
        Assert.Equal("lora", pack.Manifest.Method);
        Assert.EndsWith("bot.yaml:2", pack.Manifest.MethodLocation);
    }

    [Fact]
    public async Task LoadAsync_UnknownMethod_NamesFileLineAndField()
    {
        Write("bot.yaml", "name: x\ndescription: d\nmethod: bert\n");
        var e = await Assert.ThrowsAsync<BotPackException>(() => BotPackLoader.LoadAsync(_dir));
        Assert.EndsWith("bot.yaml", e.File);
        Assert.Equal(3, e.Line);
        Assert.Contains("'method'", e.Message);
        Assert.Contains("auto, head, full, lora, contrastive", e.Message);
        Assert.Contains("'bert'", e.Message);
    }

    [Fact]
    public async Task LoadAsync_EncoderMethodOnAChinesePack_IsRejectedAtTheMethodLine()
    {
        Write("bot.yaml", "name: x\nlanguage: zh\nmethod: full\n");
        Write("intents/a.yaml", "intents:\n  - name: hi\n    examples: [\"你好\", \"早上好\"]\n");
        var e = await Assert.ThrowsAsync<BotPackException>(() => BotPackLoader.LoadAsync(_dir));
        Assert.Equal(3, e.Line);
        Assert.Contains("fine-tunes the sentence encoder", e.Message);
        Assert.Contains("char-ngrams", e.Message);
    }

    [Fact]
    public async Task LoadAsync_ShopZhSample_IsChineseWithEnoughIntentsAndDocuments()
    {
        var pack = await BotPackLoader.LoadAsync(Path.Combine(TestPaths.Root, "samples", "bots", "shop-zh"));

        Assert.Equal(BotLanguages.Chinese, pack.Manifest.Language);
        Assert.True(pack.Intents.Count >= 15, $"{pack.Intents.Count} intents");
        Assert.All(pack.Intents, i => Assert.InRange(i.Examples.Count, 15, 25));
        Assert.Equal(Directory.GetFiles(Path.Combine(TestPaths.ShopBot, "knowledge"), "*.md").Select(Path.GetFileName).Order(), Directory.GetFiles(pack.KnowledgePath, "*.md").Select(Path.GetFileName).Order());
    }
}
