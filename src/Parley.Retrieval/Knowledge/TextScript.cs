using Parley.Core.Text;

namespace Parley.Retrieval.Knowledge;

/// <summary>Detects Chinese text by its share of CJK ideographs, to choose the analyser for lexical search.</summary>
internal static class TextScript
{
    /// <summary>The share of letters that must be CJK ideographs for a text to be analysed as Chinese.</summary>
    public const double ChineseShare = 0.3;

    /// <summary>Whether at least <see cref="ChineseShare"/> of the letters in <paramref name="text"/> are CJK ideographs.</summary>
    public static bool IsChinese(string text)
    {
        int letters = 0, cjk = 0;
        foreach (var c in text)
        {
            if (IsCjk(c))
            {
                cjk++;
                letters++;
            }
            else if (char.IsLetter(c))
            {
                letters++;
            }
        }

        return letters > 0 && cjk >= ChineseShare * letters;
    }

    /// <summary>Whether <paramref name="c"/> is a CJK ideograph.</summary>
    public static bool IsCjk(char c) => HanScript.IsHan(c);
}
