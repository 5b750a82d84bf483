using System.Globalization;
using System.Net;
using System.Text;

namespace Parley.Core.Resilience;

/// <summary>Formatting shared by failure descriptions and <see cref="UpstreamException"/> messages.</summary>
internal static class FailureText
{
    private const int MaxDetailLength = 300;

    /// <summary>"HTTP 503 Service Unavailable", from the status code alone.</summary>
    public static string Status(int statusCode)
    {
        var name = Enum.IsDefined(typeof(HttpStatusCode), statusCode) ? ((HttpStatusCode)statusCode).ToString() : null;
        return name is null ? $"HTTP {statusCode}" : $"HTTP {statusCode} {SplitWords(name)}";
    }

    /// <summary>"HttpIOException: The response ended prematurely.", on one line and of bounded length.</summary>
    public static string Exception(Exception exception) => $"{exception.GetType().Name}: {OneLine(exception.Message)}";

    /// <summary>Collapses whitespace and line breaks, and truncates long server messages.</summary>
    public static string OneLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var collapsed = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return collapsed.Length <= MaxDetailLength ? collapsed : string.Concat(collapsed.AsSpan(0, MaxDetailLength), "…");
    }

    /// <summary>"12.3" for durations in messages; whole seconds print without decimals ("60").</summary>
    public static string Seconds(TimeSpan duration) =>
        duration.TotalSeconds.ToString(duration.TotalSeconds == Math.Floor(duration.TotalSeconds) ? "0" : "0.0", CultureInfo.InvariantCulture);

    public static string Attempts(int attempts) => attempts == 1 ? "1 attempt" : $"{attempts} attempts";

    private static string SplitWords(string pascalCase)
    {
        var builder = new StringBuilder(pascalCase.Length + 4);
        for (var i = 0; i < pascalCase.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascalCase[i]))
            {
                builder.Append(' ');
            }

            builder.Append(pascalCase[i]);
        }

        return builder.ToString();
    }
}
