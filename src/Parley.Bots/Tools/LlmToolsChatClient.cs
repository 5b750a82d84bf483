using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Parley.Bots.Replies;
using Parley.Tools.Invocation;

namespace Parley.Bots.Tools;

/// <summary>
/// The tool stage in front of an LLM's <see cref="FunctionInvokingChatClient"/>: it gives the model the pack's tools for the
/// session (unwrapped from approval when tools are approved up front), turns a plain "yes"/"no" answer to a pending
/// approval request into <see cref="ToolApprovalResponseContent"/>s, and records the calls of the reply in
/// <see cref="BotReplyInfo.ToolCalls"/>.
/// </summary>
public sealed class LlmToolsChatClient : DelegatingChatClient
{
    private readonly BotToolbox _toolbox;

    /// <summary>Creates the stage.</summary>
    public LlmToolsChatClient(IChatClient innerClient, BotToolbox toolbox)
        : base(innerClient)
    {
        _toolbox = toolbox ?? throw new ArgumentNullException(nameof(toolbox));
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (prompt, withTools) = Prepare(messages, options);
        var response = await base.GetResponseAsync(prompt, withTools, cancellationToken).ConfigureAwait(false);
        var calls = Record(prompt.Concat(response.Messages), prompt.Count - 1);
        if (calls.Count > 0)
        {
            (response.AdditionalProperties ??= [])[BotReplyInfo.ToolCallsKey] = calls.ToArray();
        }

        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (prompt, withTools) = Prepare(messages, options);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in base.GetStreamingResponseAsync(prompt, withTools, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
            yield return update;
        }

        var calls = Record(prompt.Concat(updates.ToChatResponse().Messages), prompt.Count - 1);
        if (calls.Count > 0)
        {
            yield return BotReply.PropertiesUpdate(p => p[BotReplyInfo.ToolCallsKey] = calls.ToArray());
        }
    }

    private (List<ChatMessage> Prompt, ChatOptions Options) Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var approved = ToolChatOptions.IsApproved(options);
        var tools = _toolbox.For(ToolChatOptions.Session(options), approvedUpFront: approved).Values.Cast<AITool>().ToList();
        var copy = ToolChatOptions.WithoutParleyKeys(options)?.Clone() ?? new ChatOptions();
        copy.Tools = [.. copy.Tools ?? [], .. tools];

        var prompt = messages.ToList();
        var answered = prompt.Count >= 2 && prompt[^1].Role == ChatRole.User && prompt[^1].Text is { } answer
            && prompt[^2].Contents.OfType<ToolApprovalRequestContent>().Any()
            && (Words.IsYes(answer) || Words.IsNo(answer) || Words.IsCancel(answer));
        if (answered)
        {
            var yes = Words.IsYes(prompt[^1].Text);
            var pending = prompt[^2].Contents.OfType<ToolApprovalRequestContent>();
            prompt[^1] = new ChatMessage(ChatRole.User, pending.Select(r => (AIContent)r.CreateResponse(yes, yes ? null : "The user said no.")).ToList());
        }

        // Requests of earlier turns were answered (or dropped) then, and the session keeps the user's words, not the
        // approval responses: without this, the function invoker would find requests with no response.
        var keep = answered ? prompt.Count - 2 : -1;
        var cleaned = new List<ChatMessage>(prompt.Count);
        for (var i = 0; i < prompt.Count; i++)
        {
            var message = prompt[i];
            if (i != keep && message.Contents.Any(c => c is ToolApprovalRequestContent))
            {
                var rest = message.Contents.Where(c => c is not ToolApprovalRequestContent).ToList();
                if (rest.Count == 0)
                {
                    continue;
                }

                message = message.Clone();
                message.Contents = rest;
            }

            cleaned.Add(message);
        }

        return (cleaned, copy);
    }

    // The calls of this turn, from its user message on: requests still waiting for approval, approved or denied ones
    // (the user message carries the approval responses, and a streamed reply need not repeat the call), and results.
    private static List<ToolCallRecord> Record(IEnumerable<ChatMessage> all, int turnStart)
    {
        var messages = all.ToList();
        var decisions = messages.SelectMany(m => m.Contents).OfType<ToolApprovalResponseContent>()
            .Where(r => r.ToolCall is FunctionCallContent).ToDictionary(r => ((FunctionCallContent)r.ToolCall).CallId, r => r.Approved, StringComparer.Ordinal);
        var results = messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>()
            .GroupBy(r => r.CallId).ToDictionary(g => g.Key, g => GuardedAIFunction.ResultText(g.Last().Result), StringComparer.Ordinal);
        var calls = new List<ToolCallRecord>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in messages.Skip(turnStart))
        {
            foreach (var content in message.Contents)
            {
                var call = content switch
                {
                    FunctionCallContent c => c,
                    ToolApprovalRequestContent { ToolCall: FunctionCallContent c } => c,
                    ToolApprovalResponseContent { ToolCall: FunctionCallContent c } => c,
                    _ => null,
                };
                if (call is null || !seen.Add(call.CallId))
                {
                    continue;
                }

                bool? approved = decisions.TryGetValue(call.CallId, out var decision) ? decision : content is ToolApprovalRequestContent ? false : null;
                calls.Add(new ToolCallRecord(call.Name, new Dictionary<string, object?>(call.Arguments ?? new Dictionary<string, object?>()), results.GetValueOrDefault(call.CallId), approved));
            }
        }

        return calls;
    }
}
