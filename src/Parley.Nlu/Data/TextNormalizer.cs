using System.Text;

namespace Parley.Nlu.Data;

/// <summary>The text keys that decide when two utterances are "the same".</summary>
internal static class TextNormalizer
{
    /// <summary>Unicode NFC, trimmed, runs of whitespace as one space: what is hashed and compared for exact duplicates.</summary>
    public static string Canonical(string text) => CollapseWhitespace(text.Normalize(NormalizationForm.FormC), lower: false, dropPunctuation: false);

    /// <summary>As <see cref="Canonical"/>, also lower-cased: utterances with this key must share an intent.</summary>
    public static string CaseFolded(string text) => CollapseWhitespace(text.Normalize(NormalizationForm.FormKC), lower: true, dropPunctuation: false);

    /// <summary>As <see cref="CaseFolded"/>, also without punctuation and symbols: near duplicates share this key.</summary>
    public static string Near(string text) => CollapseWhitespace(text.Normalize(NormalizationForm.FormKC), lower: true, dropPunctuation: true);

    private static string CollapseWhitespace(string text, bool lower, bool dropPunctuation)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            // Dropped, not turned into a space: "what's" and "whats" are near duplicates.
            if (dropPunctuation && (char.IsPunctuation(c) || char.IsSymbol(c)))
            {
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(lower ? char.ToLowerInvariant(c) : c);
        }

        return builder.ToString();
    }
}
