using System.Globalization;
using System.Text;
using Spectre.Console;

namespace Parley.Cli.Terminal;

/// <summary>
/// Text as a terminal lays it out: user-perceived characters (grapheme clusters) and the cells each takes (two for
/// Chinese, Japanese and Korean characters and most emoji; Spectre.Console's Unicode width tables).
/// </summary>
internal static class CellText
{
    /// <summary>The start of the character before <paramref name="index"/>.</summary>
    public static int Previous(string text, int index)
    {
        var previous = 0;
        foreach (var start in StringInfo.ParseCombiningCharacters(text))
        {
            if (start >= index)
            {
                break;
            }

            previous = start;
        }

        return previous;
    }

    /// <summary>The end of the character that starts at <paramref name="index"/>.</summary>
    public static int Next(string text, int index) =>
        index >= text.Length ? text.Length : index + StringInfo.GetNextTextElementLength(text, index);

    /// <summary>The cells one character (grapheme cluster) takes: 0, 1 or 2.</summary>
    public static int Width(ReadOnlySpan<char> character)
    {
        if (character.IsEmpty || Rune.DecodeFromUtf16(character, out var rune, out _) != System.Buffers.OperationStatus.Done || Rune.IsControl(rune))
        {
            return 0;
        }

        if (rune.IsBmp)
        {
            return Math.Clamp(((char)rune.Value).GetCellWidth(), 0, 2);
        }

        // Beyond the Basic Multilingual Plane (Spectre measures UTF-16 units): emoji and the CJK extension planes are wide.
        return rune.Value is >= 0x1F300 and <= 0x1FAFF or >= 0x20000 and <= 0x3FFFD ? 2 : 1;
    }
}
