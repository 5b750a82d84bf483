using System.Text.Json;
using Parley.Bots.Intents;
using Parley.Bots.Packs;
using Parley.Nlu.Embeddings;
using Parley.Nlu.Intents;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.Bots.Tests.Intents;

/// <summary>
/// Messages of several sentences on the shop bot, through its real gates and trained model, offline
/// (<c>tests/data/shop-multi-sentence</c>): a greeting and a story dilute the one embedding of the whole message, so
/// out of scope as a whole, the message is read one sentence at a time.
/// </summary>
public sealed class MultiSentenceRoutingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ClassifyAsync_ShopCheckSet_RoutesMostByTheirAskingSentenceAndKeepsOtherQuestionsOut()
    {
        var pack = await BotPackLoader.LoadAsync(TestPaths.ShopBot);
        var folder = Directory.CreateTempSubdirectory("parley-multi-").FullName;
        using var embeddings = new MiniLmEmbeddingGenerator();
        try
        {
            var classifier = await BotIntentClassifier.CreateAsync(pack, embeddings, folder);
            Assert.True(classifier.IsTrained);
            int inScope = 0, right = 0, outOfScope = 0, rejected = 0;
            foreach (var line in File.ReadLines(Path.Combine(TestPaths.Root, "tests", "data", "shop-multi-sentence", "check.jsonl")).Where(l => l.Trim().Length > 0))
            {
                var item = JsonDocument.Parse(line).RootElement;
                var text = item.GetProperty("text").GetString()!;
                var expected = item.GetProperty("intent").GetString() ?? OutOfScope.Label;
                var got = (await classifier.ClassifyAsync(text)).Best!.Intent;
                if (expected == OutOfScope.Label)
                {
                    outOfScope++;
                    rejected += got == OutOfScope.Label ? 1 : 0;
                }
                else
                {
                    inScope++;
                    right += got == expected ? 1 : 0;
                }

                if (got != expected)
                {
                    output.WriteLine($"  {text} → {got} (expected {expected})");
                }
            }

            output.WriteLine($"in scope {right}/{inScope} routed right, out of scope {rejected}/{outOfScope} rejected");
            // Measured 17/20 and 9/10 (docs/BENCHMARKS.md; 8/10 before the typo gate vouched for its own intent only with a model too); as whole messages only, 8/20 and 8/10.
            Assert.True(right >= 15, $"in scope {right}/{inScope}");
            Assert.True(rejected >= 8, $"out of scope {rejected}/{outOfScope}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
