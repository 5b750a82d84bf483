using Microsoft.Extensions.AI;
using Parley.Bots.Evaluation;
using Parley.Bots.Packs;
using Parley.Bots.Replies;
using Parley.Nlu.Embeddings;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.Bots.Tests.Advisory;

/// <summary>The clinic and finance sample packs pass their own eval files: intent, knowledge and rule checks, adversarial turns, and a scripted conversation.</summary>
public sealed class AdvisoryPackTests(ITestOutputHelper output) : IDisposable
{
    private readonly MiniLmEmbeddingGenerator _embeddings = new();
    private readonly string _models = Directory.CreateTempSubdirectory("parley-advisory-").FullName;

    public void Dispose()
    {
        _embeddings.Dispose();
        Directory.Delete(_models, recursive: true);
    }

    public static TheoryData<string> Packs => new() { "clinic", "finance" };

    [Theory]
    [MemberData(nameof(Packs))]
    public async Task RunAsync_SamplePack_PassesItsOwnChecks(string name)
    {
        var bot = await Bot.CreateAsync(await BotPackLoader.LoadAsync(Path.Combine(TestPaths.Root, "samples", "bots", name)), _embeddings,
            options: new BotBuildOptions { ModelsFolder = _models });

        var evaluation = await BotEvaluator.RunAsync(bot);

        foreach (var check in evaluation.Checks.Where(c => !c.Passed))
        {
            output.WriteLine($"FAIL {check.File}:{check.Line} {check.Input} → expected {check.Expected}, got {check.Actual}");
        }

        foreach (var (kind, passed, total) in evaluation.ByKind)
        {
            output.WriteLine($"{kind}: {passed}/{total}");
        }

        foreach (var t in evaluation.Thresholds)
        {
            output.WriteLine($"threshold {t.Intent}: now {t.Current:0.00}, suggested {t.Suggested:0.00} ({t.Kept}/{t.Checks} kept, {t.LetIn}/{t.OutOfScope} out of scope let in)");
        }

        Assert.Equal(0, evaluation.Failed);
        Assert.True(evaluation.Checks.Count(c => c.Kind == EvalCheckKinds.Conversation) >= 10);
        Assert.True(evaluation.Checks.Count(c => c.File == "adversarial.jsonl") >= 8);
    }
}
