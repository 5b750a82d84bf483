using Microsoft.Extensions.AI;

namespace Parley.Core.History;

// MEAI001: IChatReducer is [Experimental] in Microsoft.Extensions.AI 10.11.0; this type is built on it by design.
#pragma warning disable MEAI001

/// <summary>
/// An <see cref="IChatReducer"/> that keeps the newest history that fits the model's context window,
/// counted in tokens with <see cref="ChatTokenCounter"/>.
/// </summary>
/// <remarks>
/// <para>The rules, in order:</para>
/// <list type="number">
///   <item>The leading system and developer messages are always kept and their tokens come off the budget first.
///   A system message later in the history is treated like any other message.</item>
///   <item>The rest is grouped into units. A message is its own unit, except that an assistant message carrying
///   <see cref="FunctionCallContent"/> forms one unit with every message up to the last one carrying a matching
///   <see cref="FunctionResultContent"/>: a tool call is never separated from its result.</item>
///   <item>Units are kept newest first while they fit
///   <c>ContextWindow - ReplyBudget - systemTokens - </c><see cref="ChatTokenCounter.ReplyPrimingTokens"/>;
///   the first unit that does not fit ends the window (older units are not used to fill gaps).</item>
///   <item>The current turn — the last user message and everything after it — is always kept, even when it alone
///   is over budget: a request without the question cannot be answered, and the provider reports the overflow
///   more clearly than a silently emptied history would.</item>
///   <item>A tool result at the start of the window whose call is not in the history (an orphan) is dropped with
///   its unit, because providers reject a tool result without its call.</item>
/// </list>
/// <para>
/// Messages are returned in their original order. A history that fits (and does not start with an orphaned tool
/// result) is returned unchanged. Tool definitions sent in <see cref="ChatOptions.Tools"/> are not seen by a reducer;
/// leave room for them in <see cref="TokenBudgetOptions.ReplyBudget"/> or a smaller <see cref="TokenBudgetOptions.ContextWindow"/>.
/// </para>
/// </remarks>
public sealed class TokenBudgetChatReducer : IChatReducer
{
    private static readonly ChatRole s_developer = new("developer");

    /// <summary>Creates a reducer with the budget in <paramref name="options"/>.</summary>
    /// <param name="options">The budget; validated, and read once here.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public TokenBudgetChatReducer(TokenBudgetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ContextWindow = options.GetEffectiveContextWindow();
        ReplyBudget = options.ReplyBudget;
        Counter = ChatTokenCounter.ForModel(options.ModelId ?? string.Empty, options.Encoding);
    }

    /// <summary>Gets the context window in tokens.</summary>
    public int ContextWindow { get; }

    /// <summary>Gets the tokens kept free for the reply.</summary>
    public int ReplyBudget { get; }

    /// <summary>Gets the counter used to measure messages.</summary>
    public ChatTokenCounter Counter { get; }

    /// <inheritdoc />
    public Task<IEnumerable<ChatMessage>> ReduceAsync(IEnumerable<ChatMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IEnumerable<ChatMessage>>(Reduce(messages as IReadOnlyList<ChatMessage> ?? [.. messages]));
    }

    private IReadOnlyList<ChatMessage> Reduce(IReadOnlyList<ChatMessage> messages)
    {
        int systemCount = 0;
        int systemTokens = 0;
        while (systemCount < messages.Count && IsSystem(messages[systemCount].Role))
        {
            systemTokens += Counter.CountTokens(messages[systemCount]);
            systemCount++;
        }

        List<Range> units = ChatMessageUnits.Group(messages, systemCount);
        int lastUserUnit = FindLastUserUnit(messages, units);
        int available = ContextWindow - ReplyBudget - systemTokens - ChatTokenCounter.ReplyPrimingTokens;

        int keepFrom = units.Count;
        int used = 0;
        for (int u = units.Count - 1; u >= 0; u--)
        {
            int cost = 0;
            for (int i = units[u].Start.Value; i < units[u].End.Value; i++)
            {
                cost += Counter.CountTokens(messages[i]);
            }

            bool currentTurn = lastUserUnit >= 0 && u >= lastUserUnit;
            if (!currentTurn && used + cost > available)
            {
                break;
            }

            used += cost;
            keepFrom = u;
        }

        while (keepFrom < units.Count && ChatMessageUnits.StartsWithToolResult(messages, units[keepFrom]))
        {
            keepFrom++;
        }

        if (keepFrom == 0)
        {
            return messages;
        }

        int firstKept = keepFrom < units.Count ? units[keepFrom].Start.Value : messages.Count;
        var reduced = new List<ChatMessage>(systemCount + messages.Count - firstKept);
        for (int i = 0; i < systemCount; i++)
        {
            reduced.Add(messages[i]);
        }

        for (int i = firstKept; i < messages.Count; i++)
        {
            reduced.Add(messages[i]);
        }

        return reduced;
    }

    private static bool IsSystem(ChatRole role) => role == ChatRole.System || role == s_developer;

    private static int FindLastUserUnit(IReadOnlyList<ChatMessage> messages, List<Range> units)
    {
        for (int u = units.Count - 1; u >= 0; u--)
        {
            for (int i = units[u].Start.Value; i < units[u].End.Value; i++)
            {
                if (messages[i].Role == ChatRole.User)
                {
                    return u;
                }
            }
        }

        return -1;
    }
}
