using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Parley.Bots.Packs;
using Parley.Bots.Replies;
using Parley.Bots.Tools;
using Parley.Core.Conversations;
using Parley.Nlu.Intents;

namespace Parley.Bots.Handoff;

/// <summary>
/// Chat-client middleware that hands a conversation to a person: when the user asks for one (the pack's handoff
/// phrases or intent, or "yes" right after a fallback reply, which offers a person), or when the reply is the bot's fallback for the <c>after_fallbacks</c>-th time in a row (read
/// from the earlier replies' routes, so it works across <c>ask --session</c> calls and HTTP requests). The reply says so
/// (route <c>handoff</c>, <see cref="BotReplyInfo.Handoff"/>), a <c>handoff</c> event is recorded on the session, and
/// when the pack configures a webhook the transcript is posted to it — retried within a deadline — with the outcome
/// recorded as a <c>webhook</c> event.
/// </summary>
public sealed class HandoffChatClient : DelegatingChatClient
{
    private static readonly HttpClient SharedHttp = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly HandoffSettings _settings;
    private readonly HandoffOptions _options;
    private readonly TranscriptPoster _poster;

    /// <summary>Creates the middleware.</summary>
    /// <param name="innerClient">The rest of the bot's pipeline.</param>
    /// <param name="settings">The pack's handoff settings.</param>
    /// <param name="options">The options; null for the defaults.</param>
    public HandoffChatClient(IChatClient innerClient, HandoffSettings settings, HandoffOptions? options = null)
        : base(innerClient)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _options = options ?? new HandoffOptions();
        if (_settings.Intent is not null && _options.Classifier is null)
        {
            throw new ArgumentException("the handoff names an intent, so the options need the intent classifier", nameof(options));
        }

        _poster = new TranscriptPoster(_options.Http ?? SharedHttp, _options.TimeProvider);
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        if (await IsRequestAsync(list, cancellationToken).ConfigureAwait(false))
        {
            var reply = BotReply.Create(_settings.Reply, options, new BotReplyInfo(BotRoutes.Handoff, null, []));
            await HandOffAsync(reply.AdditionalProperties!, "request", list, reply.Text, options, cancellationToken).ConfigureAwait(false);
            return reply;
        }

        var response = await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        if (!AfterFallbacks(list, BotReplyInfo.From(response.AdditionalProperties).Route))
        {
            return response;
        }

        var text = response.Text + "\n\n" + _settings.Reply;
        var last = response.Messages.LastOrDefault(m => m.Role == ChatRole.Assistant);
        if (last is null)
        {
            response.Messages.Add(new ChatMessage(ChatRole.Assistant, _settings.Reply));
        }
        else
        {
            last.Contents.Add(new TextContent("\n\n" + _settings.Reply));
        }

        await HandOffAsync(response.AdditionalProperties ??= [], "fallbacks", list, text, options, cancellationToken).ConfigureAwait(false);
        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        if (await IsRequestAsync(list, cancellationToken).ConfigureAwait(false))
        {
            var reply = BotReply.Create(_settings.Reply, options, new BotReplyInfo(BotRoutes.Handoff, null, []));
            await HandOffAsync(reply.AdditionalProperties!, "request", list, reply.Text, options, cancellationToken).ConfigureAwait(false);
            foreach (var update in BotReply.Stream(reply))
            {
                yield return update;
            }

            yield break;
        }

        var route = BotRoutes.Llm;
        var text = new System.Text.StringBuilder();
        ChatResponseUpdate? last = null;
        await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken).ConfigureAwait(false))
        {
            if (update.AdditionalProperties?.TryGetValue(BotReplyInfo.RouteKey, out var value) == true && value is string r)
            {
                route = r;
            }

            if (update.Text.Length > 0)
            {
                last = update;
                text.Append(update.Text);
            }

            yield return update;
        }

        if (AfterFallbacks(list, route))
        {
            var piece = last?.Clone() ?? new ChatResponseUpdate();
            piece.Role = ChatRole.Assistant;
            piece.Contents = [new TextContent("\n\n" + _settings.Reply)];
            piece.AdditionalProperties = null;
            piece.FinishReason = null;
            yield return piece;
            var properties = new AdditionalPropertiesDictionary();
            await HandOffAsync(properties, "fallbacks", list, text + "\n\n" + _settings.Reply, options, cancellationToken).ConfigureAwait(false);
            yield return new ChatResponseUpdate { Role = ChatRole.Assistant, AdditionalProperties = properties };
        }
    }

    private async Task<bool> IsRequestAsync(IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        if (BotReply.LastUserText(messages) is not { } text)
        {
            return false;
        }

        if (_settings.Patterns.Find(text) is not null)
        {
            return true;
        }

        // The fallback reply offers a person: "yes" to it is a request.
        if (Words.IsYes(text) && messages.Count >= 2 && messages[^2].Role == ChatRole.Assistant
            && BotReplyInfo.From(messages[^2].AdditionalProperties, defaultRoute: "").Route == BotRoutes.Fallback)
        {
            return true;
        }

        return _settings.Intent is { } intent
            && (await _options.Classifier!.ClassifyAsync(text, cancellationToken).ConfigureAwait(false)).Best?.Intent == intent;
    }

    /// <summary>Whether this reply, of <paramref name="route"/>, is the fallback that reaches <c>after_fallbacks</c> in a row.</summary>
    private bool AfterFallbacks(IReadOnlyList<ChatMessage> messages, string route)
    {
        if (_settings.AfterFallbacks <= 0 || route != BotRoutes.Fallback)
        {
            return false;
        }

        var inARow = 1;
        foreach (var message in messages.Reverse().Where(m => m.Role == ChatRole.Assistant))
        {
            if (BotReplyInfo.From(message.AdditionalProperties, defaultRoute: "").Route != BotRoutes.Fallback)
            {
                break;
            }

            inARow++;
        }

        return inARow >= _settings.AfterFallbacks;
    }

    /// <summary>Marks the reply as a handoff, records the event and posts the transcript when there is a webhook.</summary>
    private async Task HandOffAsync(
        AdditionalPropertiesDictionary properties, string reason, IReadOnlyList<ChatMessage> messages, string reply, ChatOptions? options, CancellationToken cancellationToken)
    {
        var now = _options.TimeProvider.GetUtcNow();
        properties[BotReplyInfo.RouteKey] = BotRoutes.Handoff;
        ConversationEvents.Add(properties, new ConversationEvent(
            "handoff", now, reason == "request" ? "the user asked for a person" : $"{_settings.AfterFallbacks} fallback replies in a row",
            new Dictionary<string, string> { ["reason"] = reason }));
        bool? delivered = null;
        if (_settings.WebhookUrl is { } url)
        {
            var outcome = await _poster.PostAsync(url, Transcript(messages, reply, reason, options, now), _settings.WebhookDeadline, _settings.WebhookAttempts, cancellationToken).ConfigureAwait(false);
            delivered = outcome.Delivered;
            var data = new Dictionary<string, string>
            {
                ["delivered"] = outcome.Delivered ? "true" : "false",
                ["attempts"] = outcome.Attempts.ToString(CultureInfo.InvariantCulture),
            };
            if (outcome.StatusCode is { } status)
            {
                data["status"] = status.ToString(CultureInfo.InvariantCulture);
            }

            ConversationEvents.Add(properties, new ConversationEvent(
                "webhook", _options.TimeProvider.GetUtcNow(),
                outcome.Delivered ? $"transcript posted to {url.Host}" : $"transcript not posted to {url.Host}: {outcome.Error}", data));
        }

        properties[BotReplyInfo.HandoffKey] = new HandoffInfo(reason, delivered);
    }

    private string Transcript(IReadOnlyList<ChatMessage> messages, string reply, string reason, ChatOptions? options, DateTimeOffset now)
    {
        var transcript = new JsonArray();
        foreach (var message in messages.Where(m => m.Role != ChatRole.System && m.Text.Length > 0))
        {
            transcript.Add(new JsonObject { ["role"] = message.Role.Value, ["text"] = message.Text });
        }

        transcript.Add(new JsonObject { ["role"] = ChatRole.Assistant.Value, ["text"] = reply });
        return new JsonObject
        {
            ["bot"] = _options.BotName,
            ["session"] = ToolChatOptions.Session(options),
            ["reason"] = reason,
            ["timestamp"] = now.ToString("O", CultureInfo.InvariantCulture),
            ["transcript"] = transcript,
        }.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
