using Parley.Nlu.Intents;

namespace Parley.Nlu.Data;

/// <summary>
/// One-character typos, as people make them: two neighbouring letters swapped ("retrun"), one dropped ("oder") or one
/// doubled ("ordder"), in a word of at least three letters, never its first letter. Seeded, so the same seed gives the
/// same typos. Used to make typo test sets and to add typo variants of intent examples.
/// </summary>
public static class TypoNoise
{
    /// <summary>
    /// <paramref name="text"/> with one typo in a randomly chosen word, or the text unchanged when no word has three
    /// letters.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="random">The source of randomness (seed it for reproducible typos).</param>
    public static string Apply(string text, Random random)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(random);
        var words = new List<(int Start, int Length)>();
        for (var i = 0; i < text.Length;)
        {
            if (!char.IsLetter(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && char.IsLetter(text[i]))
            {
                i++;
            }

            if (i - start >= 3)
            {
                words.Add((start, i - start));
            }
        }

        if (words.Count == 0)
        {
            return text;
        }

        var (wordStart, length) = words[random.Next(words.Count)];
        var at = wordStart + 1 + random.Next(length - 1); // a letter after the first
        return random.Next(3) switch
        {
            0 when at + 1 < wordStart + length => string.Concat(text.AsSpan(0, at), text.AsSpan(at + 1, 1), text.AsSpan(at, 1), text.AsSpan(at + 2)),
            0 or 1 => text.Remove(at, 1),
            _ => text.Insert(at, text[at].ToString()),
        };
    }

    /// <summary>
    /// <paramref name="text"/> with one typo (<see cref="Apply"/>) and, each with probability one third, its casing
    /// changed (all lower case, or the first letter upper case) and its final punctuation dropped or a question mark
    /// added: the noise of typed chat messages, for augmenting training data.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="random">The source of randomness (seed it for reproducible noise).</param>
    public static string ApplyNoise(string text, Random random)
    {
        var noisy = Apply(text, random);
        if (random.Next(3) == 0 && noisy.Length > 0)
        {
            noisy = random.Next(2) == 0 ? noisy.ToLowerInvariant() : char.ToUpperInvariant(noisy[0]) + noisy[1..];
        }

        if (random.Next(3) == 0)
        {
            var trimmed = noisy.TrimEnd('?', '.', '!', ' ');
            noisy = trimmed.Length < noisy.Length ? trimmed : noisy + "?";
        }

        return noisy;
    }

    /// <summary>
    /// Up to <paramref name="copies"/> different typo variants of every example (variants equal to the example or to one
    /// another are left out), with the example's intent.
    /// </summary>
    /// <param name="examples">The examples.</param>
    /// <param name="copies">The variants per example.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="noise">Also vary casing and final punctuation (<see cref="ApplyNoise"/>); default false (typos only).</param>
    public static IReadOnlyList<LabeledExample> Variants(IEnumerable<LabeledExample> examples, int copies, int seed, bool noise = false)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfNegative(copies);
        var random = new Random(seed);
        var result = new List<LabeledExample>();
        foreach (var example in examples)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal) { example.Text };
            for (var k = 0; k < copies; k++)
            {
                var variant = noise ? ApplyNoise(example.Text, random) : Apply(example.Text, random);
                if (seen.Add(variant))
                {
                    result.Add(new LabeledExample(variant, example.Intent));
                }
            }
        }

        return result;
    }
}
