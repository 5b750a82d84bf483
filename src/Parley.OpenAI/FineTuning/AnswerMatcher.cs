using System.Text;

namespace Parley.OpenAI.FineTuning;

/// <summary>Exact-match scoring of answers: equal after trimming, collapsing whitespace and ignoring case.</summary>
public static class AnswerMatcher
{
    /// <summary>The answer with whitespace runs collapsed to one space, trimmed, in lower case (invariant culture).</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(word);
        }

        return builder.ToString().ToLowerInvariant();
    }

    /// <summary>Whether <paramref name="answer"/> and <paramref name="expected"/> are equal once normalised.</summary>
    public static bool Matches(string? answer, string? expected) => string.Equals(Normalize(answer), Normalize(expected), StringComparison.Ordinal);
}
