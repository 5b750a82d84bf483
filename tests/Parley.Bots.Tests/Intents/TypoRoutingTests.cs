using System.Text.Json;
using Parley.Bots.Intents;
using Parley.Bots.Knowledge;
using Parley.Bots.Packs;
using Parley.Nlu.Data;
using Parley.Nlu.Embeddings;
using Parley.Nlu.Intents;
using Parley.Retrieval.Knowledge;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.Bots.Tests.Intents;

/// <summary>
/// One-character typos on the shop bot, through its real gate and trained model, offline: three seeded typo variants
/// of each intent check (swap, drop or double a letter), plus the two typos of issue 11; and unrelated questions, some
/// misspelt, which must stay out of scope.
/// </summary>
public sealed class TypoRoutingTests(ITestOutputHelper output)
{
    private static readonly string[] Unrelated =
    [
        "what is the boiling point of tungsten on mars?", "who won the world cup in 1998", "write me a poem about cats",
        "how do I fix a segmentation fault in C", "what's the capital of australia", "tell me a joke about lawyers",
    ];

    // Unrelated questions written with typos, as the out-of-scope side of spelling correction: a corrected word must
    // not carry an unrelated question past the gate.
    private static readonly string[] UnrelatedWithTypos =
    [
        "whats the wether in paris tomorow", "can you recomend a good moive", "how do i instal python on windows",
        "what tiem is it in tokyo", "who is the presidnet of france", "translate hello into spanihs",
        "how many calroies in a banana", "book me a flight to berlin", "what's the sqare root of 144", "play some musci",
        "how tall is mount everst", "can you help with my math homwork", "how do I cook rice", "set an alarm for 7am",
        "what is the meaning of life", "how do i reset my wifi routr", "who wrote hamlet", "is it going to rain todya",
        "my neighbour's dog keeps barking, what can I do", "how do I change a flat tyre on my bike",
        "what's a good recipe for banana bread", "can you order me a pizza", "cancel my gym membership",
        "where is the nearest train staton", "how do I return a libary book",
    ];

    // Questions for the knowledge, in words the bot knows (its examples' and its knowledge's), that share a rare word
    // with an example: the n-gram gate took them for a misspelt example (warranty's "does the warranty cover dishwasher
    // damage") until the knowledge had the last word on such messages.
    private static readonly string[] KnowledgeQuestionsSharingAWord =
    [
        "is the cast iron skillet dishwasher safe",
    ];

    private static LabeledExample[] ReadChecks() =>
        [.. File.ReadLines(Path.Combine(TestPaths.ShopBot, "eval", "intent-checks.jsonl")).Where(l => l.Trim().Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => new LabeledExample(e.GetProperty("text").GetString()!, e.GetProperty("intent").GetString()!))];

    [Fact]
    public async Task CreateAsync_ShopPackWithTypos_RoutesMostRightAndStillRejectsOutOfScope()
    {
        var pack = await BotPackLoader.LoadAsync(TestPaths.ShopBot);
        var checks = ReadChecks();
        LabeledExample[] typos =
        [
            .. TypoNoise.Variants(checks, copies: 3, seed: 2026),
            new("where is my oder?", "order_status"),
            new("how do i retrun an item", "returns"),
        ];
        var oos = File.ReadLines(Path.Combine(TestPaths.ShopBot, "eval", "knowledge-checks.jsonl")).Where(l => l.Trim().Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("query").GetString()!).Concat(Unrelated).Concat(UnrelatedWithTypos).Concat(KnowledgeQuestionsSharingAWord).ToArray();
        var folder = Directory.CreateTempSubdirectory("parley-typos-").FullName;
        using var embeddings = new MiniLmEmbeddingGenerator();
        var knowledge = await DenseKnowledgeIndex.BuildAsync(embeddings, pack.KnowledgePath, WordPieceChunking.Create());
        try
        {
            var results = new Dictionary<int, (int Typos, int Clean, int Rejected, IntentPrediction Oder, IntentPrediction Retrun, int KnowledgeRejected)>();
            foreach (var variants in new[] { 0, PackIntentModels.GateTypoVariants })
            {
                // "without": no typo variants in the gate and no spelling gate (the model is the same, trained with its variants).
                var classifier = await BotIntentClassifier.CreateAsync(pack, embeddings, folder, gateTypoVariants: variants, spellingThreshold: variants == 0 ? 0 : null, knowledge: knowledge);
                Assert.True(classifier.IsTrained);
                var model = (await PackIntentModels.LoadOrTrainAsync(pack, embeddings, folder))!;
                output.WriteLine($"model threshold {model.Calibration.Threshold:0.000} ({model.Calibration.Criterion}); model alone on typos: {await CountAsync(model, typos, quiet: true)}/{typos.Length}");
                var typosRight = await CountAsync(classifier, typos);
                var cleanRight = await CountAsync(classifier, checks);
                var rejected = 0;
                var knowledgeRejected = 0;
                foreach (var text in oos)
                {
                    var best = (await classifier.ClassifyAsync(text)).Best!;
                    rejected += best.Intent == OutOfScope.Label ? 1 : 0;
                    knowledgeRejected += best.Intent == OutOfScope.Label && KnowledgeQuestionsSharingAWord.Contains(text) ? 1 : 0;
                    if (best.Intent != OutOfScope.Label)
                    {
                        output.WriteLine($"  accepted: {text} → {best.Intent} {best.Confidence:0.000}");
                    }
                }

                results[variants] = (typosRight, cleanRight, rejected, await classifier.ClassifyAsync(typos[^2].Text), await classifier.ClassifyAsync(typos[^1].Text), knowledgeRejected);
                output.WriteLine($"gate typo variants {variants}: typos {typosRight}/{typos.Length} routed right, clean checks {cleanRight}/{checks.Length}, out-of-scope {rejected}/{oos.Length} rejected; " +
                    $"'{typos[^2].Text}' → {results[variants].Oder.Best!.Intent}, '{typos[^1].Text}' → {results[variants].Retrun.Best!.Intent}");
            }

            var after = results[PackIntentModels.GateTypoVariants];
            // The target is 90%: 86/89 measured (docs/BENCHMARKS.md), 77/89 without spelling correction, 45/89
            // without any typo handling.
            Assert.True(after.Typos >= typos.Length * 0.9, $"{after.Typos}/{typos.Length}");
            Assert.True(after.Typos > results[0].Typos + 20, $"{after.Typos} vs {results[0].Typos} without");
            Assert.Equal("order_status", after.Oder.Best!.Intent);
            Assert.Equal("returns", after.Retrun.Best!.Intent);
            Assert.True(after.Clean >= checks.Length * 0.9, $"clean {after.Clean}/{checks.Length}");
            Assert.True(after.Rejected >= oos.Length * 0.9, $"rejected {after.Rejected}/{oos.Length}");
            Assert.Equal(KnowledgeQuestionsSharingAWord.Length, after.KnowledgeRejected);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ClassifyAsync_MisspeltWordBothGatesReject_TriesAgainCorrectedToTheExamplesWords()
    {
        var pack = await BotPackLoader.LoadAsync(TestPaths.ShopBot);
        using var embeddings = new MiniLmEmbeddingGenerator();
        var classifier = await BotIntentClassifier.CreateAsync(pack, embeddings);
        var gatesOnly = await BotIntentClassifier.CreateAsync(pack, embeddings, spellingThreshold: 0);
        const string message = "where can I follow the tracking of my parcle?";

        Assert.Equal("where can I follow the tracking of my parcel?", classifier.Vocabulary!.Correct(message));
        Assert.Null(gatesOnly.Vocabulary);
        Assert.Equal(OutOfScope.Label, (await gatesOnly.ClassifyAsync(message)).Best!.Intent);
        var corrected = (await classifier.ClassifyAsync(message)).Best!;
        Assert.Equal("order_status", corrected.Intent);
        Assert.True(corrected.Confidence >= classifier.Threshold, $"{corrected.Confidence}: passed the embedding gate corrected");

        // Corrected text goes through the embedding gate only: "tomorow" → "tomorrow" must not let this through.
        Assert.Equal(OutOfScope.Label, (await classifier.ClassifyAsync("whats the wether in paris tomorow")).Best!.Intent);
    }

    private async Task<int> CountAsync(IIntentClassifier classifier, IEnumerable<LabeledExample> items, bool quiet = false)
    {
        var right = 0;
        foreach (var item in items)
        {
            var best = (await classifier.ClassifyAsync(item.Text)).Best!;
            right += best.Intent == item.Intent ? 1 : 0;
            if (best.Intent != item.Intent && !quiet)
            {
                output.WriteLine($"  wrong: {item.Text} → {best.Intent} {best.Confidence:0.000} (want {item.Intent})");
            }
        }

        return right;
    }
}
