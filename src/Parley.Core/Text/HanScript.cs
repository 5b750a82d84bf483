namespace Parley.Core.Text;

/// <summary>Which characters are Chinese ideographs (Han), for the places that treat Chinese text its own way.</summary>
public static class HanScript
{
    /// <summary>
    /// Whether <paramref name="codePoint"/> is a CJK unified ideograph of the Basic Multilingual Plane: the main block
    /// (U+4E00–U+9FFF), Extension A (U+3400–U+4DBF) or the compatibility block (U+F900–U+FAFF).
    /// </summary>
    /// <param name="codePoint">A Unicode code point (a <see cref="char"/> converts to one).</param>
    public static bool IsHan(int codePoint) =>
        codePoint is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0xF900 and <= 0xFAFF);
}
