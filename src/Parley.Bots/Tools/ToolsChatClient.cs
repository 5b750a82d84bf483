using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Parley.Bots.Packs;
using Parley.Bots.Replies;
using Parley.Nlu.Intents;
using Parley.Tools.Invocation;

namespace Parley.Bots.Tools;

/// <summary>
/// The offline tool stage: when the message's intent names a tool, its slots are filled from the message (and asked for,
/// one at a time, when missing — a form the next turn of the session continues; "cancel" leaves it), approval is asked for
/// tools that need it unless given up front (<see cref="ToolChatOptions.ApproveKey"/>), and the tool's result is the reply
/// (route <c>tool</c>, with the call in <see cref="BotReplyInfo.ToolCalls"/>). Other messages go on to the inner client.
/// </summary>
public sealed class ToolsChatClient : DelegatingChatClient
{
    private readonly IIntentClassifier _classifier;
    private readonly BotPack _pack;
    private readonly BotToolbox _toolbox;
    private readonly SlotExtractor _slots;
    private readonly BotMessages _messages;

    /// <summary>Creates the stage.</summary>
    public ToolsChatClient(IChatClient innerClient, IIntentClassifier classifier, BotPack pack, BotToolbox toolbox)
        : base(innerClient)
    {
        _classifier = classifier ?? throw new ArgumentNullException(nameof(classifier));
        _pack = pack ?? throw new ArgumentNullException(nameof(pack));
        _toolbox = toolbox ?? throw new ArgumentNullException(nameof(toolbox));
        _slots = new SlotExtractor(pack, toolbox.TimeProvider, toolbox.TimeZone);
        _messages = BotMessages.For(pack.Manifest.Language);
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        return await AnswerAsync(list, options, cancellationToken).ConfigureAwait(false)
            ?? await base.GetResponseAsync(list, ToolChatOptions.WithoutParleyKeys(options), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        if (await AnswerAsync(list, options, cancellationToken).ConfigureAwait(false) is { } answer)
        {
            foreach (var update in BotReply.Stream(answer))
            {
                yield return update;
            }

            yield break;
        }

        await foreach (var update in base.GetStreamingResponseAsync(list, ToolChatOptions.WithoutParleyKeys(options), cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    private async Task<ChatResponse?> AnswerAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        if (BotReply.LastUserText(messages) is not { } text)
        {
            return null;
        }

        var form = messages.Count >= 2 && messages[^2].Role == ChatRole.Assistant ? ToolForm.From(messages[^2].AdditionalProperties) : null;
        if (form is not null && _pack.IntentsByName.TryGetValue(form.Intent, out var formIntent) && formIntent.Tool == form.Tool)
        {
            if (Words.IsCancel(text) || (form.AwaitingApproval && Words.IsNo(text)))
            {
                var denied = form.AwaitingApproval ? [new ToolCallRecord(form.Tool, Arguments(form, options), null, false)] : Array.Empty<ToolCallRecord>();
                return Reply(form.AwaitingApproval ? _messages.ApprovalDenied : _messages.FormStopped, options, formIntent, denied, null);
            }

            if (form.AwaitingApproval && Words.IsYes(text))
            {
                return await RunAsync(formIntent, form, approved: true, options, cancellationToken).ConfigureAwait(false);
            }

            if (!form.AwaitingApproval && form.Awaiting is { } awaiting && formIntent.Slots.FirstOrDefault(s => s.Name == awaiting) is { } slot)
            {
                var answer = slot.Entity is "date_time" && form.Slots.TryGetValue(awaiting, out var partial) ? $"{partial} {text}" : text;
                if (_slots.Extract(slot, answer, followUp: true) is { } value)
                {
                    var slots = new Dictionary<string, string>(form.Slots, StringComparer.Ordinal) { [awaiting] = value };
                    foreach (var other in formIntent.Slots.Where(s => s.Name != awaiting && !slots.ContainsKey(s.Name)))
                    {
                        if (_slots.Extract(other, text, followUp: false) is { } more)
                        {
                            slots[other.Name] = more;
                        }
                    }

                    return await ProceedAsync(formIntent, form with { Slots = slots, Awaiting = null }, options, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var best = (await _classifier.ClassifyAsync(text, cancellationToken).ConfigureAwait(false)).Best;
        if (best is null || best.Intent == OutOfScope.Label || !_pack.IntentsByName.TryGetValue(best.Intent, out var intent) || intent.Tool is not { } tool)
        {
            return null;
        }

        var started = new ToolForm { Intent = intent.Name, Tool = tool, Slots = _slots.ExtractAll(intent, text) };
        var response = await ProceedAsync(intent, started, options, cancellationToken).ConfigureAwait(false);
        (response.AdditionalProperties ??= [])[BotReplyInfo.IntentKey] = new IntentMatch(intent.Name, best.Confidence);
        return response;
    }

    private async Task<ChatResponse> ProceedAsync(IntentDefinition intent, ToolForm form, ChatOptions? options, CancellationToken cancellationToken)
    {
        foreach (var slot in intent.Slots.Where(s => s.Required))
        {
            if (!form.Slots.TryGetValue(slot.Name, out var value))
            {
                return Reply(slot.Prompt, options, intent, [], form with { Awaiting = slot.Name });
            }

            if (!_slots.IsComplete(slot, value))
            {
                return Reply(string.Format(CultureInfo.InvariantCulture, _messages.AskTime, value), options, intent, [], form with { Awaiting = slot.Name });
            }
        }

        var function = _toolbox.For(ToolChatOptions.Session(options))[form.Tool];
        if (function.GetService<ApprovalRequiredAIFunction>() is not null && !ToolChatOptions.IsApproved(options))
        {
            var arguments = string.Join(_messages.ListSeparator, form.Slots.Select(s => string.Format(CultureInfo.InvariantCulture, _messages.SlotValue, s.Key, s.Value)));
            var verb = _messages.ToolVerbs.TryGetValue(form.Tool, out var known) ? known : string.Format(CultureInfo.InvariantCulture, _messages.OtherToolVerb, form.Tool);
            return Reply(string.Format(CultureInfo.InvariantCulture, _messages.ApprovalPrompt, verb, arguments), options, intent,
                [new ToolCallRecord(form.Tool, Arguments(form, options), null, false)], form with { AwaitingApproval = true, Awaiting = null });
        }

        return await RunAsync(intent, form, approved: function.GetService<ApprovalRequiredAIFunction>() is null ? null : true, options, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ChatResponse> RunAsync(IntentDefinition intent, ToolForm form, bool? approved, ChatOptions? options, CancellationToken cancellationToken)
    {
        var function = _toolbox.For(ToolChatOptions.Session(options))[form.Tool];
        var arguments = new AIFunctionArguments(Arguments(form, options));
        var result = GuardedAIFunction.ResultText(await function.InvokeAsync(arguments, cancellationToken).ConfigureAwait(false)) ?? "";
        var reply = GuardedAIFunction.IsError(result) ? result[GuardedAIFunction.ErrorPrefix.Length..] : result;
        return Reply(reply, options, intent, [new ToolCallRecord(form.Tool, Arguments(form, options), result, approved)], null);
    }

    // Slot values are text; a parameter the tool's schema types as a number gets the number.
    private Dictionary<string, object?> Arguments(ToolForm form, ChatOptions? options)
    {
        var schema = _toolbox.For(ToolChatOptions.Session(options))[form.Tool].JsonSchema;
        return form.Slots.ToDictionary(s => s.Key, s => (object?)(IsNumeric(schema, s.Key) && double.TryParse(s.Value, System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out var n) ? (n % 1 == 0 ? (long)n : n) : s.Value), StringComparer.Ordinal);
    }

    private static bool IsNumeric(System.Text.Json.JsonElement schema, string name) =>
        schema.TryGetProperty("properties", out var properties) && properties.TryGetProperty(name, out var property)
        && property.TryGetProperty("type", out var type) && type.ToString() is var text && (text.Contains("integer", StringComparison.Ordinal) || text.Contains("number", StringComparison.Ordinal));

    private static ChatResponse Reply(string text, ChatOptions? options, IntentDefinition intent, IReadOnlyList<ToolCallRecord> calls, ToolForm? form)
    {
        var response = BotReply.Create(text, options, new BotReplyInfo(BotRoutes.Tool, new IntentMatch(intent.Name, 1), [], calls));
        if (form is not null)
        {
            response.AdditionalProperties![ToolForm.Key] = form;
        }

        return response;
    }
}
