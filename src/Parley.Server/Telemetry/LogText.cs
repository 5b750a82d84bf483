using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Parley.Server.Telemetry;

/// <summary>Makes client- and upstream-supplied text safe to log: control characters escaped, key-like strings masked.</summary>
internal static partial class LogText
{
    /// <summary>What a masked secret is replaced with.</summary>
    public const string Masked = "***";

    /// <summary>
    /// <paramref name="value"/> with control characters written as escapes (<c>\n</c>, <c>\r</c>, <c>\t</c>,
    /// <c>\u001b</c>…), so a value cannot start a forged log line or move the terminal's cursor; null stays null.
    /// </summary>
    public static string? Escape(string? value)
    {
        if (value is null || !value.Any(IsEscaped))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case var other when IsEscaped(other):
                    builder.Append("\\u").Append(((int)other).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// <paramref name="value"/> with anything that looks like a credential replaced by <see cref="Masked"/>:
    /// <c>sk-…</c>-style keys, <c>Bearer</c> tokens, the values of <c>api_key</c>/<c>token</c>/<c>secret</c>/<c>password</c>
    /// fields, and long random-looking tokens; then escaped as <see cref="Escape"/> does.
    /// </summary>
    public static string? MaskSecrets(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return value;
        }

        var masked = PrefixedKey().Replace(value, Masked);
        masked = BearerToken().Replace(masked, "$1" + Masked);
        masked = SecretField().Replace(masked, "$1" + Masked);
        masked = LongToken().Replace(masked, m => m.Value.Any(char.IsDigit) && m.Value.Any(char.IsLetter) ? Masked : m.Value);
        return Escape(masked);
    }

    // Unicode line and paragraph separators end lines in some log viewers too.
    private static bool IsEscaped(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085';

    [GeneratedRegex(@"\b(?:sk|pk|rk)-[A-Za-z0-9_\-]{6,}", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixedKey();

    [GeneratedRegex(@"(?i)(\bbearer\s+)[^\s""',;]+", RegexOptions.CultureInvariant)]
    private static partial Regex BearerToken();

    [GeneratedRegex(@"(?i)(\b(?:api[_-]?key|x-api-key|authorization|access[_-]?token|token|secret|password)\b[""']?\s*[:=]\s*[""']?)[^\s""',;}]+", RegexOptions.CultureInvariant)]
    private static partial Regex SecretField();

    [GeneratedRegex(@"[A-Za-z0-9_\-+/]{32,}={0,2}", RegexOptions.CultureInvariant)]
    private static partial Regex LongToken();
}
