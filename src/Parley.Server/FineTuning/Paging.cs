using System.Globalization;
using Microsoft.AspNetCore.Http;
using Parley.Server.Errors;

namespace Parley.Server.FineTuning;

/// <summary>OpenAI's cursor paging: <c>after</c> (the last id seen) and <c>limit</c>.</summary>
internal static class Paging
{
    public static ListObject<T> Page<T>(IReadOnlyList<T> items, Func<T, string> id, IQueryCollection query, int defaultLimit, int maxLimit)
    {
        var limit = defaultLimit;
        if (query["limit"].FirstOrDefault() is { } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > maxLimit))
        {
            throw ApiException.Invalid("limit", $"'limit' must be an integer from 1 to {maxLimit}");
        }

        var start = 0;
        if (query["after"].FirstOrDefault() is { Length: > 0 } after)
        {
            var index = items.Select(id).ToList().IndexOf(after);
            if (index < 0)
            {
                throw ApiException.Invalid("after", $"'after' names '{after}', which is not in this list");
            }

            start = index + 1;
        }

        var page = items.Skip(start).Take(limit).ToArray();
        return new ListObject<T>(page, start + page.Length < items.Count, page.Length > 0 ? id(page[0]) : null, page.Length > 0 ? id(page[^1]) : null);
    }
}
