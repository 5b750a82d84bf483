using System.Globalization;
using System.Text;

namespace Parley.Nlu.Features;

/// <summary>
/// Resolves <see cref="FeaturizerSettings.Auto"/> by the script of the data: the sentence encoder (all-MiniLM-L6-v2)
/// was trained on English, so text written mostly in Latin letters gets its embeddings, and text in other scripts
/// (Chinese, Japanese, Korean, Thai, Arabic, Cyrillic, …) gets character n-grams, which work for any script.
/// </summary>
public static class FeatureSelection
{
    /// <summary>
    /// The share of letters that must be Latin for <see cref="FeaturizerSettings.Auto"/> to choose embeddings. Default 0.5:
    /// a Chinese data set that names a few brands in Latin letters ("可以用PayPal吗") stays on character n-grams.
    /// </summary>
    public const double MinLatinShare = 0.5;

    /// <summary>
    /// The character n-grams chosen for data in other scripts: 1–2 characters. In scripts written without spaces a
    /// single character is often a word, so unigrams count; longer n-grams made the nearest-example gate worse on
    /// Chinese (docs/BENCHMARKS.md).
    /// </summary>
    public static FeaturizerSettings CharNGramsForOtherScripts { get; } = new()
    {
        Kind = FeaturizerSettings.CharNGrams,
        NGramMin = 1,
        NGramMax = 2,
    };

    /// <summary>
    /// The settings to train with: <paramref name="requested"/> unless its kind is <see cref="FeaturizerSettings.Auto"/>,
    /// in which case embeddings or character n-grams by the script of <paramref name="texts"/>.
    /// </summary>
    /// <param name="requested">The requested settings.</param>
    /// <param name="texts">The training texts.</param>
    /// <returns>The settings, and a sentence that says why (for the user).</returns>
    public static (FeaturizerSettings Settings, string Reason) Resolve(FeaturizerSettings requested, IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(texts);
        if (!string.Equals(requested.Kind, FeaturizerSettings.Auto, StringComparison.Ordinal))
        {
            return (requested, $"features {requested.Kind} (as requested)");
        }

        var share = LatinShare(texts);
        var percent = share.ToString("0%", CultureInfo.InvariantCulture);
        return share >= MinLatinShare
            ? (requested with { Kind = FeaturizerSettings.Embeddings }, $"features {FeaturizerSettings.Embeddings}: {percent} of the letters are Latin, which the English sentence encoder covers")
            : (CharNGramsForOtherScripts with { EmbeddingModel = requested.EmbeddingModel },
                $"features {FeaturizerSettings.CharNGrams} ({CharNGramsForOtherScripts.NGramMin}–{CharNGramsForOtherScripts.NGramMax} characters): only {percent} of the letters are Latin, and the English sentence encoder does not cover the rest");
    }

    /// <summary>The share of letters in <paramref name="texts"/> that are Latin (1 when there are no letters).</summary>
    /// <param name="texts">The texts.</param>
    public static double LatinShare(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        long letters = 0, latin = 0;
        foreach (var text in texts)
        {
            foreach (var rune in text.EnumerateRunes())
            {
                if (!Rune.IsLetter(rune))
                {
                    continue;
                }

                letters++;
                latin += IsLatin(rune.Value) ? 1 : 0;
            }
        }

        return letters == 0 ? 1 : (double)latin / letters;
    }

    // Basic Latin, Latin-1, Latin Extended-A/B, IPA, Latin Extended Additional, full-width Latin.
    private static bool IsLatin(int c) =>
        c < 0x0250 || (c >= 0x1E00 && c < 0x1F00) || (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A);
}
