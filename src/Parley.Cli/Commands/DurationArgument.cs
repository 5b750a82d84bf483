using System.Globalization;
using System.Text.RegularExpressions;

namespace Parley.Cli.Commands;

/// <summary>Parses durations written as a number and a unit: <c>90s</c>, <c>30m</c>, <c>12h</c>, <c>30d</c>, <c>2w</c>.</summary>
internal static partial class DurationArgument
{
    /// <summary>The duration <paramref name="text"/> names.</summary>
    /// <exception cref="CliException">The text is not a positive number followed by s, m, h, d or w (a usage error).</exception>
    public static TimeSpan Parse(string option, string text)
    {
        var match = Pattern().Match(text.Trim());
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            throw new CliException($"{option} '{text}' is not a duration: give a positive number and a unit, e.g. 90s, 30m, 12h, 30d or 2w", exitCode: ExitCodes.Usage);
        }

        return match.Groups[2].Value.ToLowerInvariant() switch
        {
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            "d" => TimeSpan.FromDays(n),
            _ => TimeSpan.FromDays(7 * n),
        };
    }

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*([smhdwSMHDW])$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
