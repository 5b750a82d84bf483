using Parley.Nlu.Data;
using Parley.Nlu.Features;
using Parley.Nlu.Intents;
using Parley.Nlu.Training;

namespace Parley.Nlu.Tests.Training;

public sealed class TypoAugmentationTests
{
    private static readonly LabeledExample[] Examples =
    [
        .. new[] { "where is my order", "track my parcel please", "has my package shipped", "when will my order arrive", "my delivery is late", "where is my parcel now" }
            .Select(t => new LabeledExample(t, "order_status")),
        .. new[] { "how do i return an item", "i want to send this back", "can i return these shoes", "return policy for jackets", "how to send back a gift", "returning a broken kettle" }
            .Select(t => new LabeledExample(t, "returns")),
    ];

    [Fact]
    public void Apply_AddsOneNoisyVariantPerExample_SameForTheSameSeed()
    {
        var first = TypoAugmentation.Apply(Examples, seed: 7);
        var second = TypoAugmentation.Apply(Examples, seed: 7);

        Assert.Equal(first, second);
        Assert.Equal(Examples, first.Take(Examples.Length));
        var variants = first.Skip(Examples.Length).ToArray();
        Assert.InRange(variants.Length, Examples.Length - 2, Examples.Length);
        Assert.All(variants, v => Assert.DoesNotContain(v, Examples));
        Assert.All(variants, v => Assert.Contains(Examples, e => e.Intent == v.Intent));
    }

    [Fact]
    public void ApplyNoise_VariesTypoCasingAndPunctuation()
    {
        var random = new Random(3);
        var noisy = Enumerable.Range(0, 60).Select(_ => TypoNoise.ApplyNoise("Where is my order?", random)).ToArray();

        Assert.All(noisy, n => Assert.NotEqual("Where is my order?", n));
        Assert.Contains(noisy, n => n.StartsWith('w'));
        Assert.Contains(noisy, n => !n.EndsWith('?'));
    }

    [Fact]
    public async Task DecideAsync_GivesADecisionWithTheValidationNumbers()
    {
        var featurizer = FeaturizerFactory.Create(new FeaturizerSettings { Kind = FeaturizerSettings.CharNGrams }, null);

        var (use, reason) = await TypoAugmentation.DecideAsync(featurizer, Examples, null, new TrainerOptions { ValidationFraction = 0.34 });

        Assert.StartsWith(use ? "augment typos: it helps" : "augment none: typo variants did not help", reason);
        Assert.Contains("validation accuracy clean/noisy", reason);
    }

    [Fact]
    public async Task DecideAsync_NoValidationItems_SaysSo()
    {
        var featurizer = FeaturizerFactory.Create(new FeaturizerSettings { Kind = FeaturizerSettings.CharNGrams }, null);

        var (use, reason) = await TypoAugmentation.DecideAsync(featurizer, Examples, null, new TrainerOptions { ValidationFraction = 0 });

        Assert.False(use);
        Assert.Contains("no validation items", reason);
    }
}
