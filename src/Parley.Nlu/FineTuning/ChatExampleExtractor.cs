using Microsoft.Extensions.AI;

namespace Parley.Nlu.FineTuning;

/// <summary>
/// Turns chat-format conversations into response-selection examples: every assistant message with a text reply and
/// <c>weight</c> other than 0 is one example, whose input is the conversation before it.
/// </summary>
/// <remarks>
/// The input is the last user message before the reply. The encoder (all-MiniLM-L6-v2) reads at most 256 word
/// pieces and averages them, so earlier turns or the system prompt would dilute the request that the reply answers;
/// when there is no user message, the last system/developer text stands in. Assistant messages that only call tools
/// are skipped (a response-selection model cannot call tools).
/// </remarks>
public static class ChatExampleExtractor
{
    /// <summary>The examples of one conversation.</summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="line">The line it came from, recorded on each example.</param>
    public static IReadOnlyList<ChatTrainingExample> Extract(IReadOnlyList<ChatExampleMessage> messages, int line = 0)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var examples = new List<ChatTrainingExample>();
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message.Role != "assistant" || message.Weight == 0 || string.IsNullOrWhiteSpace(message.Content))
            {
                continue;
            }

            var input = Render(messages.Take(i).Select(m => (m.Role, m.Content)));
            if (input.Length > 0)
            {
                examples.Add(new ChatTrainingExample(input, message.Content.Trim(), line));
            }
        }

        return examples;
    }

    /// <summary>The encoder input for a conversation that the next reply answers.</summary>
    /// <param name="messages">The conversation so far.</param>
    public static string RenderInput(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return Render(messages.Select(m => (m.Role.Value, (string?)m.Text)));
    }

    private static string Render(IEnumerable<(string Role, string? Content)> messages)
    {
        string? user = null, system = null;
        foreach (var (role, content) in messages)
        {
            if (string.IsNullOrWhiteSpace(content))
            {
                continue;
            }

            if (role == "user")
            {
                user = content;
            }
            else if (role is "system" or "developer")
            {
                system = content;
            }
        }

        return (user ?? system ?? "").Trim();
    }
}
