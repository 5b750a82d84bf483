using System.Numerics.Tensors;
using System.Text;

namespace Parley.Nlu.Features;

/// <summary>
/// Language-independent features: the character n-grams of each word (NFKC, lower-cased, the word padded with a
/// space on each side), hashed into 2^<see cref="FeaturizerSettings.HashBits"/> buckets with FNV-1a, weighted
/// 1 + ln(count) and L2-normalised. Works for any script; Chinese text without spaces is one long "word".
/// </summary>
/// <remarks>
/// The vectors are dense: with the default 14 hash bits each takes 64 KB, so 10,000 texts take about 640 MB.
/// Lower <see cref="FeaturizerSettings.HashBits"/> for large data sets. The hash is stable across processes and
/// machines (unlike <see cref="string.GetHashCode()"/>), so a trained model keeps its meaning.
/// </remarks>
public sealed class CharNGramFeaturizer : IFeaturizer
{
    private const uint FnvOffset = 2166136261;
    private const uint FnvPrime = 16777619;

    /// <summary>Creates the featurizer.</summary>
    /// <param name="settings">
    /// The settings: <see cref="FeaturizerSettings.NGramMin"/> ≥ 1, <see cref="FeaturizerSettings.NGramMax"/> ≥ NGramMin,
    /// <see cref="FeaturizerSettings.HashBits"/> in 4–24.
    /// </param>
    public CharNGramFeaturizer(FeaturizerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.NGramMin, 1, nameof(settings.NGramMin));
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.NGramMax, settings.NGramMin, nameof(settings.NGramMax));
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.HashBits, 4, nameof(settings.HashBits));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.HashBits, 24, nameof(settings.HashBits));
        Settings = settings;
        Dimensions = 1 << settings.HashBits;
    }

    /// <inheritdoc />
    public FeaturizerSettings Settings { get; }

    /// <inheritdoc />
    public int Dimensions { get; }

    /// <inheritdoc />
    public Task<float[][]> FeaturizeAsync(
        IReadOnlyList<string> texts, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var result = new float[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
        {
            if (i % 256 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (i > 0)
                {
                    progress?.Report(i);
                }
            }

            result[i] = Featurize(texts[i]);
        }

        progress?.Report(texts.Count);
        return Task.FromResult(result);
    }

    /// <summary>The feature vector of one text.</summary>
    /// <param name="text">The text.</param>
    public float[] Featurize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var vector = new float[Dimensions];
        var mask = (uint)(Dimensions - 1);
        var normalized = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();

        // Rune start offsets of the current word, padded: " word ".
        var starts = new List<int>(64);
        var padded = new StringBuilder(normalized.Length + 2);
        foreach (var word in normalized.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            padded.Clear().Append(' ').Append(word).Append(' ');
            var chars = padded.ToString();
            starts.Clear();
            for (var i = 0; i < chars.Length; i += char.IsSurrogatePair(chars, i) ? 2 : 1)
            {
                starts.Add(i);
            }

            starts.Add(chars.Length);
            var runes = starts.Count - 1;
            for (var n = Settings.NGramMin; n <= Settings.NGramMax && n <= runes; n++)
            {
                for (var s = 0; s + n <= runes; s++)
                {
                    // The padding alone (the unigram " ") is in every text and would only add to every similarity.
                    if (n == 1 && chars[starts[s]] == ' ')
                    {
                        continue;
                    }

                    var hash = Hash(chars.AsSpan(starts[s], starts[s + n] - starts[s]));
                    vector[hash & mask] += 1;
                }
            }
        }

        var norm = 0f;
        for (var i = 0; i < vector.Length; i++)
        {
            if (vector[i] > 0)
            {
                vector[i] = 1 + MathF.Log(vector[i]);
                norm += vector[i] * vector[i];
            }
        }

        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, MathF.Sqrt(norm), vector);
        }

        return vector;
    }

    private static uint Hash(ReadOnlySpan<char> gram)
    {
        var hash = FnvOffset;
        foreach (var c in gram)
        {
            hash = (hash ^ (byte)c) * FnvPrime;
            hash = (hash ^ (byte)(c >> 8)) * FnvPrime;
        }

        return hash;
    }
}
