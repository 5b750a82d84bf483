using Parley.Server.Errors;

namespace Parley.Server.Sessions;

/// <summary>What a session's title may be: up to <see cref="MaxLength"/> characters, none of them control characters.</summary>
internal static class SessionTitles
{
    /// <summary>The longest title accepted, in UTF-16 code units.</summary>
    public const int MaxLength = 200;

    /// <summary>The title, trimmed; null (no title) when it is null or blank.</summary>
    /// <exception cref="ApiException">400 naming <c>title</c> when it is too long or holds a control character.</exception>
    public static string? Check(string? value)
    {
        var title = value?.Trim();
        if (string.IsNullOrEmpty(title))
        {
            return null;
        }

        if (title.Length > MaxLength)
        {
            throw new ApiException(400, $"'title' must be at most {MaxLength} characters (it has {title.Length})", "title", "invalid_title");
        }

        for (var i = 0; i < title.Length; i++)
        {
            // Line and paragraph separators break a title's line as a newline does; char.IsControl does not count them.
            if (char.IsControl(title[i]) || title[i] is '\u2028' or '\u2029')
            {
                throw new ApiException(400, $"'title' must not contain control characters or line breaks (U+{(int)title[i]:X4} at position {i})", "title", "invalid_title");
            }
        }

        return title;
    }
}
