using System.Text.Json;
using Parley.Bots.Intents;
using Parley.Nlu.Intents;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.Bots.Tests.Shop;

public sealed class IntentModelComparisonTests(ShopBotFixture fixture, ITestOutputHelper output) : IClassFixture<ShopBotFixture>
{
    private static readonly string[] Unrelated =
    [
        "what is the boiling point of tungsten on mars?", "who won the world cup in 1998", "write me a poem about cats",
        "how do I fix a segmentation fault in C", "what's the capital of australia", "tell me a joke about lawyers",
    ];

    [Fact]
    public async Task PackModel_ShopEvalSet_GatedModelKeepsInScopeAndRejectsOutOfScope()
    {
        var folder = Directory.CreateTempSubdirectory("parley-models-").FullName;
        try
        {
            var model = await PackIntentModels.LoadOrTrainAsync(fixture.Bot.Pack, fixture.Embeddings, folder);
            Assert.NotNull(model);
            var checks = File.ReadLines(Path.Combine(TestPaths.ShopBot, "eval", "intent-checks.jsonl")).Where(l => l.Trim().Length > 0)
                .Select(l => JsonDocument.Parse(l).RootElement).Select(e => (Text: e.GetProperty("text").GetString()!, Intent: e.GetProperty("intent").GetString()!)).ToArray();
            var oos = File.ReadLines(Path.Combine(TestPaths.ShopBot, "eval", "knowledge-checks.jsonl")).Where(l => l.Trim().Length > 0)
                .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("query").GetString()!).Concat(Unrelated).ToArray();
            var threshold = fixture.Bot.Classifier.Threshold;

            async Task<(int InScope, int Rejected)> Score(IIntentClassifier classifier, Func<IntentScore, bool> accepted)
            {
                var inScope = 0;
                foreach (var (text, intent) in checks)
                {
                    var best = (await classifier.ClassifyAsync(text)).Best!;
                    inScope += best.Intent == intent && accepted(best) ? 1 : 0;
                }

                var rejected = 0;
                foreach (var text in oos)
                {
                    var best = (await classifier.ClassifyAsync(text)).Best!;
                    rejected += accepted(best) ? 0 : 1;
                }

                return (inScope, rejected);
            }

            static bool Accepted(IntentScore best) => best.Intent != OutOfScope.Label;
            var trained = await Score(model, Accepted);
            var nearest = await Score(fixture.Bot.Classifier, Accepted);
            var gated = await Score(new BotIntentClassifier(fixture.Nearest, model, threshold), Accepted);
            output.WriteLine($"trained: in-scope {trained.InScope}/{checks.Length}, out-of-scope rejected {trained.Rejected}/{oos.Length}; threshold {model.Calibration.Threshold:0.000} ({model.Calibration.Mode})");
            output.WriteLine($"nearest: in-scope {nearest.InScope}/{checks.Length}, out-of-scope rejected {nearest.Rejected}/{oos.Length} at {threshold}");

            output.WriteLine($"gated:   in-scope {gated.InScope}/{checks.Length}, out-of-scope rejected {gated.Rejected}/{oos.Length}");

            Assert.True(trained.InScope >= checks.Length * 0.9, $"trained in-scope {trained.InScope}/{checks.Length}");
            Assert.True(gated.InScope >= checks.Length * 0.9, $"gated in-scope {gated.InScope}/{checks.Length}");
            Assert.True(gated.Rejected >= oos.Length * 0.9, $"gated rejected {gated.Rejected}/{oos.Length}");

            var written = Directory.GetLastWriteTimeUtc(Directory.GetDirectories(folder).Single());
            var again = await PackIntentModels.LoadOrTrainAsync(fixture.Bot.Pack, fixture.Embeddings, folder);
            Assert.NotNull(again);
            Assert.Equal(written, Directory.GetLastWriteTimeUtc(Directory.GetDirectories(folder).Single()));
            Assert.Equal(model.Labels, again.Labels);
            Assert.Single(Directory.GetDirectories(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
