using Parley.Server.Errors;

namespace Parley.Server.Sessions;

/// <summary>What a client may send as <c>X-Parley-Session</c>: 1 to <see cref="MaxLength"/> letters, digits, <c>_ - . :</c>.</summary>
internal static class SessionIds
{
    /// <summary>The longest session id accepted.</summary>
    public const int MaxLength = 128;

    /// <summary>The header's value, checked; null when the request has none.</summary>
    /// <exception cref="ApiException">400 naming the header when the value is too long or has other characters.</exception>
    public static string? Check(string? value, string header)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Length > MaxLength || !value.All(IsAllowed))
        {
            throw new ApiException(
                400,
                $"'{header}' must be 1 to {MaxLength} characters of letters, digits, '_', '-', '.' and ':' (a session id this server returned, or your own)",
                header,
                "invalid_session_id");
        }

        return value;
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':';
}
