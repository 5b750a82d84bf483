using System.Text.Json;
using Microsoft.Extensions.AI;
using Parley.Bots.Intents;
using Parley.Bots.Knowledge;
using Parley.Bots.Packs;
using Parley.Core.Text;
using Parley.Nlu.Features;
using Parley.Nlu.Intents;
using Parley.Retrieval.Knowledge;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.Bots.Tests.Intents;

/// <summary>
/// A Chinese shop pack (tests/data/zh-shop: 10 intents × 10 examples, held-out checks and out-of-scope questions):
/// the English encoder is never asked, the gate and the model work on character n-grams.
/// </summary>
public sealed class ChineseIntentTests(ITestOutputHelper output)
{
    private static readonly string Data = Path.Combine(TestPaths.Root, "tests", "data", "zh-shop");

    /// <summary>Fails the test if the English sentence encoder is used.</summary>
    private sealed class NoEmbeddings : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the sentence encoder was asked to embed Chinese text");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private static (string Text, string Intent)[] Read(string file) =>
        [.. File.ReadLines(Path.Combine(Data, file)).Where(l => l.Trim().Length > 0).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (e.GetProperty("text").GetString()!, e.GetProperty("intent").GetString()!))];

    private static BotPack Pack() => new(
        Data,
        new BotManifest { Name = "zh-shop" },
        [.. Read("intents.jsonl").GroupBy(e => e.Intent).Select(g => new IntentDefinition { Name = g.Key, Examples = [.. g.Select(e => e.Text)] })]);

    [Theory]
    [InlineData("checks.jsonl", "oos.jsonl", 0.9, 0.9)] // the set the n-gram range and the gate threshold were chosen on
    [InlineData("checks-test.jsonl", "oos-test.jsonl", 0.85, 0.6)] // written afterwards; docs/BENCHMARKS.md has the numbers
    public async Task CreateAsync_ChinesePack_GatesAndClassifiesOnCharNGrams(string checksFile, string oosFile, double minRouted, double minRejected)
    {
        await WithClassifierAsync(async classifier =>
        {

            Assert.Equal(FeaturizerSettings.CharNGrams, classifier.Features!.Kind);
            Assert.True(classifier.IsTrained);
            Assert.Equal(IntentGate.CharNGramThreshold, classifier.Threshold);
            var (routed, rejected, checks, oos) = await ScoreAsync(classifier, checksFile, oosFile);
            output.WriteLine($"{checksFile}: {routed}/{checks} routed right; out-of-scope: {rejected}/{oos} rejected");
            Assert.True(routed >= checks * minRouted, $"{routed}/{checks} routed right");
            Assert.True(rejected >= oos * minRejected, $"{rejected}/{oos} rejected");
        });
    }

    [Theory]
    [InlineData("checks.jsonl", "oos.jsonl")]
    [InlineData("checks-test.jsonl", "oos-test.jsonl")]
    public async Task CreateAsync_ChinesePackWithHomophoneTypos_CorrectsThemToTheExamplesCharacters(string checksFile, string oosFile)
    {
        await WithClassifierAsync(async classifier =>
        {
            Assert.NotNull(classifier.Homophones);
            // One homophone typo per check, as a pinyin input method makes them: a character replaced by another of the
            // same toneless syllable (seeded). Out-of-scope questions as written and with a typo must stay out.
            var random = new Random(2026);
            var typos = Read(checksFile).Select(c => (Text: HomophoneTypo(c.Text, random), c.Intent)).Where(c => c.Text is not null).ToArray();
            int right = 0, rightAsWritten = 0;
            foreach (var (text, intent) in typos)
            {
                var (prediction, readAs) = await classifier.ClassifyReadingAsync(text!);
                right += prediction.Best!.Intent == intent ? 1 : 0;
                rightAsWritten += prediction.Best!.Intent == intent && readAs is null ? 1 : 0;
                output.WriteLine($"{(prediction.Best!.Intent == intent ? "ok " : "BAD")} {text} → {prediction.Best!.Intent}{(readAs is null ? "" : $" (read as {readAs})")}");
            }

            var oos = Read(oosFile).Select(o => o.Text).ToArray();
            string[] oosAll = [.. oos, .. oos.Select(o => HomophoneTypo(o, random)).OfType<string>()];
            var letIn = 0;
            var letInCorrected = new List<string>();
            foreach (var text in oosAll)
            {
                var (prediction, readAs) = await classifier.ClassifyReadingAsync(text);
                if (prediction.Best!.Intent != OutOfScope.Label)
                {
                    letIn++;
                    letInCorrected.AddRange(readAs is null ? [] : [readAs]);
                    output.WriteLine($"IN  {text} → {prediction.Best!.Intent}{(readAs is null ? "" : $" (read as {readAs})")}");
                }
            }

            output.WriteLine($"{checksFile}: homophone typos {right}/{typos.Length} routed right ({rightAsWritten} without correction); out of scope let in {letIn}/{oosAll.Length} ({letInCorrected.Count} of them corrected)");
            Assert.True(right > rightAsWritten, $"{right} vs {rightAsWritten} of {typos.Length}: the correction should win some back");
            // The correction lets an out-of-scope question in only by undoing the typo of one the gate lets in as written.
            Assert.All(letInCorrected, corrected => Assert.Contains(corrected, oos));
        });
    }

    [Fact]
    public async Task ClassifyReadingAsync_ChineseMessageNarrowlyInWithAWordThePackNeverUses_IsOutOfScope()
    {
        await WithClassifierAsync(async classifier =>
        {
            Assert.NotNull(classifier.OwnWords);

            // The gate alone lets the train fare in on 到 and 多少钱 (a shipping example); no example says 北京.
            const string train = "北京到上海的高铁票多少钱";
            Assert.InRange((await classifier.GateAsync(train))[0].Confidence, classifier.Threshold, IntentGate.CharNGramSure - 0.001);
            var trace = new IntentGateTrace();
            Assert.Equal(OutOfScope.Label, (await classifier.ClassifyReadingAsync(train, trace)).Prediction.Best!.Intent);
            Assert.Contains("北京", trace.UnknownWords!);

            // A word the pack never uses does not matter when an example is close enough: 衣服 in a returns question.
            const string clothes = "这件衣服我想退";
            Assert.True((await classifier.GateAsync(clothes))[0].Confidence >= IntentGate.CharNGramSure);
            Assert.Contains("衣服", classifier.OwnWords.Value.UnknownWords(clothes));
            var kept = new IntentGateTrace();
            Assert.Equal("returns", (await classifier.ClassifyReadingAsync(clothes, kept)).Prediction.Best!.Intent);
            Assert.Null(kept.UnknownWords);
        });
    }

    [Fact]
    public async Task CreateAsync_ChinesePackWithKnowledge_KnowsTheKnowledgesWords()
    {
        using var knowledge = new LexicalKnowledgeSearch(Bm25KnowledgeIndex.Create(
            [new KnowledgePassage("weather.md#1", "weather.md", "天气", "下雨天", "下雨天我们照常发货，天气不影响配送。", 0, 20)]));

        await WithClassifierAsync(classifier =>
        {
            Assert.DoesNotContain("天气", classifier.OwnWords!.Value.UnknownWords("今天天气怎么样"));
            Assert.Contains("电影", classifier.OwnWords.Value.UnknownWords("今天电影怎么样"));
            return Task.CompletedTask;
        }, knowledge);
    }

    [Fact]
    public async Task CreateAsync_JapanesePack_NoChineseHomophonesOrWords()
    {
        // Kanji with kana around them: character n-grams like a Chinese pack, but pinyin readings and SmartCn's words
        // would "correct" Japanese into Chinese.
        var pack = new BotPack(Data, new BotManifest { Name = "ja-shop" },
        [
            new IntentDefinition { Name = "order_status", Examples = ["注文はどこですか", "荷物がまだ届きません", "配送状況を教えてください"] },
            new IntentDefinition { Name = "returns", Examples = ["返品したいです", "商品を返品する方法は", "返品の送料はいくらですか"] },
        ]);

        var classifier = await BotIntentClassifier.CreateAsync(pack, new NoEmbeddings());

        Assert.Equal(FeaturizerSettings.CharNGrams, classifier.Features!.Kind);
        Assert.Null(classifier.Homophones);
        Assert.Null(classifier.OwnWords);
    }

    /// <summary>Runs <paramref name="test"/> on the pack's classifier with its model trained in a temporary folder.</summary>
    private static async Task WithClassifierAsync(Func<BotIntentClassifier, Task> test, IKnowledgeSearch? knowledge = null)
    {
        var folder = Directory.CreateTempSubdirectory("parley-zh-").FullName;
        try
        {
            await test(await BotIntentClassifier.CreateAsync(Pack(), new NoEmbeddings(), folder, knowledge: knowledge));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary><paramref name="text"/> with one Han character replaced by another of the same syllable, or null when none has one.</summary>
    private static string? HomophoneTypo(string text, Random random)
    {
        var positions = Enumerable.Range(0, text.Length).Where(i => ChineseHomophones.SameSyllable(text[i]).Length > 1).ToArray();
        if (positions.Length == 0)
        {
            return null;
        }

        var at = positions[random.Next(positions.Length)];
        var others = ChineseHomophones.SameSyllable(text[at]).Where(c => c != text[at]).ToArray();
        return string.Concat(text.AsSpan(0, at), others[random.Next(others.Length)].ToString(), text.AsSpan(at + 1));
    }

    private async Task<(int Routed, int Rejected, int Checks, int Oos)> ScoreAsync(IIntentClassifier classifier, string checksFile, string oosFile)
    {
        var checks = Read(checksFile);
        var oos = Read(oosFile);
        var routed = 0;
        foreach (var (text, intent) in checks)
        {
            var best = (await classifier.ClassifyAsync(text)).Best!;
            routed += best.Intent == intent ? 1 : 0;
            output.WriteLine($"{(best.Intent == intent ? "ok " : "BAD")} {text} → {best.Intent} {best.Confidence:0.000}");
        }

        var rejected = 0;
        foreach (var (text, _) in oos)
        {
            var best = (await classifier.ClassifyAsync(text)).Best!;
            rejected += best.Intent == OutOfScope.Label ? 1 : 0;
            output.WriteLine($"{(best.Intent == OutOfScope.Label ? "ok " : "BAD")} {text} → {best.Intent} {best.Confidence:0.000}");
        }

        return (routed, rejected, checks.Length, oos.Length);
    }
}
