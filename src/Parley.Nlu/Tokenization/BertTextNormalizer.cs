using System.Globalization;
using System.Text;

namespace Parley.Nlu.Tokenization;

/// <summary>
/// The character rules of HuggingFace's BERT BasicTokenizer: text cleaning, CJK spacing, lower-casing, accent
/// stripping, and what counts as whitespace or punctuation.
/// </summary>
internal static class BertTextNormalizer
{
    /// <summary>Drops control characters, maps whitespace to spaces, puts spaces around CJK ideographs, lower-cases and strips accents.</summary>
    public static string Normalize(string text, bool lowerCase, bool stripAccents)
    {
        var builder = new StringBuilder(text.Length + 8);
        var ascii = true;
        Span<char> buffer = stackalloc char[2];
        foreach (var rune in text.EnumerateRunes())
        {
            var cp = rune.Value;
            if (cp < 0x80)
            {
                if (cp is ' ' or '\t' or '\n' or '\r')
                {
                    builder.Append(' ');
                }
                else if (cp >= 0x20 && cp != 0x7F)
                {
                    builder.Append((char)cp);
                }

                continue;
            }

            ascii = false;

            // Lone surrogates arrive as U+FFFD, which BERT drops like control characters.
            if (cp == 0xFFFD || IsControl(rune))
            {
                continue;
            }

            if (IsWhitespace(rune))
            {
                builder.Append(' ');
            }
            else if (IsCjkIdeograph(cp))
            {
                builder.Append(' ');
                builder.Append(buffer[..rune.EncodeToUtf16(buffer)]);
                builder.Append(' ');
            }
            else
            {
                builder.Append(buffer[..rune.EncodeToUtf16(buffer)]);
            }
        }

        var result = builder.ToString();
        if (lowerCase)
        {
            result = result.ToLowerInvariant();
        }

        if (stripAccents && !ascii)
        {
            result = RemoveNonSpacingMarks(result.Normalize(NormalizationForm.FormD));
        }

        return result;
    }

    /// <summary>Whether BERT splits a word at <paramref name="rune"/> and keeps it as a token of its own.</summary>
    public static bool IsPunctuation(Rune rune)
    {
        var cp = rune.Value;
        if (cp is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126))
        {
            return true;
        }

        return cp >= 0x80 && Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation
            or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation;
    }

    private static bool IsWhitespace(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    private static bool IsControl(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;

    // The "Chinese character" blocks of BERT's _is_chinese_char; Japanese kana and Korean Hangul are not among them.
    private static bool IsCjkIdeograph(int cp) =>
        cp is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF)
            or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B820 and <= 0x2CEAF)
            or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);

    private static string RemoveNonSpacingMarks(string text)
    {
        var builder = new StringBuilder(text.Length);
        Span<char> buffer = stackalloc char[2];
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(buffer[..rune.EncodeToUtf16(buffer)]);
            }
        }

        return builder.ToString();
    }
}
