using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Parley.Bots;
using Parley.Bots.Explanations;
using Parley.Bots.Replies;
using Parley.Bots.Tools;
using Parley.Nlu.Embeddings;
using Parley.OpenAI;
using Parley.Server.Errors;
using Parley.Server.Security;
using Parley.Server.FineTuning;
using Parley.Server.Hosting;
using Parley.Server.Models;
using Parley.Server.Sessions;
using Parley.Server.Telemetry;

namespace Parley.Server.Chat;

/// <summary>Maps <c>POST /v1/chat/completions</c> for the bots and the upstream model: a JSON answer, or server-sent chunks when <c>stream</c> is true.</summary>
public static class ChatCompletionEndpoints
{
    /// <summary>The request and response header that names a stored session.</summary>
    public const string SessionHeader = "X-Parley-Session";

    private const string LoggerCategory = "Parley.Server.Chat.ChatCompletionEndpoints";

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapChatCompletionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/chat/completions", CompleteAsync);
        return app;
    }

    private static async Task<IResult> CompleteAsync(
        HttpContext context,
        BotRegistry registry,
        ParleyServerOptions options,
        ServerMetrics metrics,
        ContentLog contentLog,
        FineTunedModels fineTuned,
        ILoggerFactory loggers,
        SessionLocks locks,
        CancellationToken cancellationToken)
    {
        var started = options.TimeProvider.GetTimestamp();
        using var body = await RequestBody.ReadAsync(context.Request, options.MaxRequestBodyBytes, cancellationToken).ConfigureAwait(false);
        var request = ChatCompletionRequest.Parse(body.ParseObject());
        RequestLogMiddleware.SetModel(context, request.Model);
        contentLog.Prompt(request.Model, request.Messages);
        var bots = await registry.GetBotsAsync(cancellationToken).ConfigureAwait(false);
        var stream = new StreamContext(metrics, options, started, contentLog, loggers.CreateLogger(LoggerCategory));
        if (!bots.TryGetValue(request.Model, out var bot))
        {
            if (options.Upstream is { } upstream && request.Model == options.UpstreamModel)
            {
                // An OpenAI-compatible upstream gets the client's JSON as it is, and its JSON answer comes back as it
                // is; streams (and upstreams given as other chat clients) go through Microsoft.Extensions.AI.
                var passThrough = stream with { PassThrough = true };
                return !request.Stream && upstream.GetService<OpenAIChatForwarder>() is { } forwarder
                    ? await UpstreamCompletions.ForwardAsync(forwarder, body.Memory, request, passThrough, cancellationToken).ConfigureAwait(false)
                    : await UpstreamCompletions.CompleteAsync(upstream, options.UpstreamModel, request, NewCompletionId(), Now(options), passThrough, cancellationToken).ConfigureAwait(false);
            }

            if (await fineTuned.FindAsync(request.Model, ApiCaller.Of(context), cancellationToken).ConfigureAwait(false) is { } tuned)
            {
                // A fine-tuned model is an IChatClient like the upstream one: usage, max_tokens and streaming work the same.
                ResponseFormatWire.RequireText(request.ResponseFormat, request.Model, "fine-tuned model");
                return await UpstreamCompletions.CompleteAsync(tuned, request.Model, request, NewCompletionId(), Now(options), stream with { PassThrough = true }, cancellationToken).ConfigureAwait(false);
            }

            throw request.Model == MiniLmEmbeddingGenerator.ModelId
                ? ApiException.Invalid("model", $"'{request.Model}' is an embedding model: use POST /v1/embeddings")
                : ModelEndpoints.UnknownModel(request.Model);
        }

        var sessionId = SessionIds.Check(context.Request.Headers[SessionHeader].FirstOrDefault(), SessionHeader);
        var lease = sessionId is null ? null : await locks.AcquireAsync(sessionId, cancellationToken).ConfigureAwait(false);
        if (lease is not null)
        {
            // Released when the turn is done, and at the latest when the request ends.
            context.Response.RegisterForDispose(lease);
        }

        var turn = await BotTurn.StartAsync(bot, request, sessionId, registry.Store, ApiCaller.Of(context), cancellationToken).ConfigureAwait(false);
        if (turn.SessionId is { } id)
        {
            context.Response.Headers[SessionHeader] = id;
        }

        var completionId = NewCompletionId();
        var created = Now(options);
        var chatOptions = turn.CreateOptions(request);
        if (request.Stream)
        {
            var source = await ChatStream.StartAsync(token => turn.GetStreamingResponseAsync(chatOptions, token), request.Model, stream, cancellationToken).ConfigureAwait(false);
            return TypedResults.ServerSentEvents(StreamAsync(source, bot, turn, lease, request, context.Request, completionId, created, stream, cancellationToken));
        }

        ChatResponse response;
        try
        {
            response = await turn.GetResponseAsync(chatOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (UpstreamErrors.IsUpstream(e) && !cancellationToken.IsCancellationRequested)
        {
            // The bot's LLM failed: answered as a pass-through model's failure is, not as a server error.
            throw UpstreamErrors.ToApiException(e, request.Model, stream.Logger);
        }
        finally
        {
            lease?.Dispose();
        }

        var limiter = new ReplyLimiter(turn.Counter, request.MaxTokens);
        limiter.Append(response.Text);
        var reply = limiter.Text;
        var finish = limiter.Cut || response.FinishReason == ChatFinishReason.Length ? "length" : "stop";
        var usage = new CompletionUsage(turn.Counter.CountTokens(turn.Prompt), turn.Counter.CountTokens(reply));
        metrics.RecordTokens(request.Model, usage.PromptTokens, usage.CompletionTokens);
        contentLog.Reply(request.Model, reply);
        var parley = ParleyReplyInfo.From(
            BotReplyInfo.From(response.AdditionalProperties), turn.SessionId, ToolForm.IsAwaitingApproval(response),
            await ExplainAsync(bot, request, response, cancellationToken).ConfigureAwait(false));
        return TypedResults.Ok(new ChatCompletion(completionId, created, request.Model, [new CompletionChoice(0, new CompletionMessage(reply, Annotations: UrlCitationAnnotation.From(response, reply, request.Model, context.Request)), finish)], usage, parley));
    }

    private static string NewCompletionId() => "chatcmpl-" + Guid.NewGuid().ToString("N");

    private static long Now(ParleyServerOptions options) => options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Why the bot gave <paramref name="response"/>, when the request asked and its last message is the user's.</summary>
    private static async Task<TurnExplanation?> ExplainAsync(Bot bot, ChatCompletionRequest request, ChatResponse response, CancellationToken cancellationToken) =>
        request.Explain && request.Messages[^1] is { Role: var role, Text: { Length: > 0 } text } && role == ChatRole.User
            ? await BotExplainer.ExplainAsync(bot, text, response, cancellationToken).ConfigureAwait(false)
            : null;

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(
        ChatStream source,
        Bot bot,
        BotTurn turn,
        IDisposable? lease,
        ChatCompletionRequest request,
        HttpRequest http,
        string id,
        long created,
        StreamContext stream,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ChatCompletionChunk Chunk(ChunkDelta delta, string? finish = null, ParleyReplyInfo? parley = null) =>
            new(id, created, request.Model, [new ChunkChoice(0, delta, finish)], Parley: parley);

        await using var _ = source;
        stream.Metrics.StreamChanged(+1);
        try
        {
            yield return SseEvents.Data(Chunk(new ChunkDelta("assistant", string.Empty)));
            var limiter = new ReplyLimiter(turn.Counter, request.MaxTokens);
            var updates = new List<ChatResponseUpdate>();
            var first = true;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (more, failure) = await source.TryMoveNextAsync(request.Model, stream).ConfigureAwait(false);
                if (failure is not null)
                {
                    yield return SseEvents.Error(failure);
                    yield return SseEvents.Done;
                    yield break;
                }

                if (!more)
                {
                    break;
                }

                var update = source.Current;
                updates.Add(update);
                var piece = limiter.Append(update.Text);
                if (piece.Length > 0)
                {
                    if (first)
                    {
                        first = false;
                        stream.Metrics.RecordTimeToFirstToken(request.Model, stream.Clock.GetElapsedTime(stream.Started));
                    }

                    yield return SseEvents.Data(Chunk(new ChunkDelta(null, piece)));
                }

                if (limiter.Cut)
                {
                    // Leaving the loop disposes the bot's stream, which stops generation.
                    break;
                }
            }

            var response = updates.ToChatResponse();
            var reply = limiter.Text;
            stream.Content.Reply(request.Model, reply);
            var finish = limiter.Cut || response.FinishReason == ChatFinishReason.Length ? "length" : "stop";
            var explanation = await ExplainAsync(bot, request, response, cancellationToken).ConfigureAwait(false);
            var annotations = UrlCitationAnnotation.From(response, reply, request.Model, http);
            yield return SseEvents.Data(Chunk(new ChunkDelta(null, null, Annotations: annotations), finish, ParleyReplyInfo.From(BotReplyInfo.From(response.AdditionalProperties), turn.SessionId, ToolForm.IsAwaitingApproval(response), explanation)));
            var usage = new CompletionUsage(turn.Counter.CountTokens(turn.Prompt), turn.Counter.CountTokens(reply));
            stream.Metrics.RecordTokens(request.Model, usage.PromptTokens, usage.CompletionTokens);
            if (request.IncludeUsage)
            {
                yield return SseEvents.Data(new ChatCompletionChunk(id, created, request.Model, [], usage));
            }

            yield return SseEvents.Done;
        }
        finally
        {
            stream.Metrics.StreamChanged(-1);
            lease?.Dispose();
        }
    }
}
