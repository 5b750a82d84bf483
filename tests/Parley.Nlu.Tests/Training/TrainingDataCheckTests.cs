using Parley.Nlu.Intents;
using Parley.Nlu.Training;

namespace Parley.Nlu.Tests.Training;

public sealed class TrainingDataCheckTests
{
    private static LabeledExample[] Examples(string intent, int count) => [.. Enumerable.Range(0, count).Select(i => new LabeledExample($"{intent} {i}", intent))];

    [Fact]
    public void Check_OneIntent_IsAnError()
    {
        var (errors, _) = TrainingDataCheck.Check(Examples("greet", 10), null);

        Assert.Contains("only one intent ('greet')", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OnlyOos_IsAnError()
    {
        var (errors, _) = TrainingDataCheck.Check(Examples(OutOfScope.Label, 3), null);

        Assert.Contains("no in-scope examples", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_IntentsTooSmallToValidate_AreNamed()
    {
        var (errors, warnings) = TrainingDataCheck.Check([.. Examples("a", 15), .. Examples("b", 4), .. Examples("c", 1)], null);

        Assert.Empty(errors);
        Assert.Equal("2 intents with too few examples to hold one out for validation: 'b', 'c'; write more examples", Assert.Single(warnings));
    }

    [Fact]
    public void Check_NoIntentCanBeValidated_SaysThereIsNoThreshold()
    {
        var (_, warnings) = TrainingDataCheck.Check([.. Examples("a", 1), .. Examples("b", 1)], null);

        Assert.Contains("no out-of-scope threshold", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ValidationLabelNotInTraining_Warns()
    {
        var (_, warnings) = TrainingDataCheck.Check([.. Examples("a", 5), .. Examples("b", 5)], [new("x", "a"), new("y", "z"), new("w", OutOfScope.Label)]);

        Assert.Contains("1 validation item labelled with intents the training data does not have ('z')", Assert.Single(warnings), StringComparison.Ordinal);
    }
}
