using Microsoft.Extensions.AI;

namespace Parley.Core.History;

/// <summary>Splits a history into units that must be kept or dropped together.</summary>
internal static class ChatMessageUnits
{
    /// <summary>
    /// Groups <paramref name="messages"/> from <paramref name="first"/> on into contiguous ranges: a message carrying
    /// <see cref="FunctionCallContent"/> reaches up to the last message carrying a matching <see cref="FunctionResultContent"/>;
    /// every other message is a range of its own.
    /// </summary>
    public static List<Range> Group(IReadOnlyList<ChatMessage> messages, int first)
    {
        var lastResult = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = first; i < messages.Count; i++)
        {
            foreach (AIContent content in messages[i].Contents)
            {
                if (content is FunctionResultContent result && result.CallId is not null)
                {
                    lastResult[result.CallId] = i;
                }
            }
        }

        var units = new List<Range>();
        int start = first;
        int reach = first;
        for (int i = first; i < messages.Count; i++)
        {
            foreach (AIContent content in messages[i].Contents)
            {
                if (content is FunctionCallContent call && call.CallId is not null
                    && lastResult.TryGetValue(call.CallId, out int end) && end > reach)
                {
                    reach = end;
                }
            }

            if (i >= reach)
            {
                units.Add(new Range(start, i + 1));
                start = i + 1;
                reach = i + 1;
            }
        }

        return units;
    }

    /// <summary>
    /// Whether a unit begins with a tool result. Calls pull their results into their own unit, so such a unit holds a
    /// result whose call is not before it: an orphan.
    /// </summary>
    public static bool StartsWithToolResult(IReadOnlyList<ChatMessage> messages, Range unit) =>
        messages[unit.Start.Value].Contents.Any(static c => c is FunctionResultContent);
}
