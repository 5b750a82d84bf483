using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.AI;
using Parley.Bots.Replies;
using Parley.Nlu.Embeddings;
using Parley.Server.Errors;
using Parley.Server.FineTuning;
using Parley.Server.Hosting;
using Parley.Server.Models;
using Parley.Server.Telemetry;

namespace Parley.Server.Chat;

/// <summary>Maps <c>POST /v1/chat/completions</c> for the bots and the upstream model: a JSON answer, or server-sent chunks when <c>stream</c> is true.</summary>
public static class ChatCompletionEndpoints
{
    /// <summary>The request and response header that names a stored session.</summary>
    public const string SessionHeader = "X-Parley-Session";

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapChatCompletionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/chat/completions", CompleteAsync);
        return app;
    }

    private static async Task<IResult> CompleteAsync(
        HttpContext context, BotRegistry registry, ParleyServerOptions options, ServerMetrics metrics, ContentLog contentLog, FineTunedModels fineTuned, CancellationToken cancellationToken)
    {
        var started = options.TimeProvider.GetTimestamp();
        var request = ChatCompletionRequest.Parse(await RequestBody.ReadObjectAsync(context.Request, options.MaxRequestBodyBytes, cancellationToken).ConfigureAwait(false));
        RequestLogMiddleware.SetModel(context, request.Model);
        contentLog.Prompt(request.Model, request.Messages);
        var bots = await registry.GetBotsAsync(cancellationToken).ConfigureAwait(false);
        var completionId = "chatcmpl-" + Guid.NewGuid().ToString("N");
        var created = options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        var stream = new StreamContext(metrics, options.TimeProvider, started, contentLog);
        if (!bots.TryGetValue(request.Model, out var bot))
        {
            if (options.Upstream is { } upstream && request.Model == options.UpstreamModel)
            {
                return await UpstreamCompletions.CompleteAsync(upstream, options.UpstreamModel, request, completionId, created, stream, cancellationToken).ConfigureAwait(false);
            }

            if (await fineTuned.FindAsync(request.Model, cancellationToken).ConfigureAwait(false) is { } tuned)
            {
                // A fine-tuned model is an IChatClient like the upstream one: usage, max_tokens and streaming work the same.
                ResponseFormatWire.RequireText(request.ResponseFormat, request.Model, "fine-tuned model");
                return await UpstreamCompletions.CompleteAsync(tuned, request.Model, request, completionId, created, stream, cancellationToken).ConfigureAwait(false);
            }

            throw request.Model == MiniLmEmbeddingGenerator.ModelId
                ? ApiException.Invalid("model", $"'{request.Model}' is an embedding model: use POST /v1/embeddings")
                : ModelEndpoints.UnknownModel(request.Model);
        }

        var sessionId = context.Request.Headers[SessionHeader].FirstOrDefault() is { Length: > 0 } header ? header : null;
        var turn = await BotTurn.StartAsync(bot, request, sessionId, registry.Store, cancellationToken).ConfigureAwait(false);
        if (turn.SessionId is { } id)
        {
            context.Response.Headers[SessionHeader] = id;
        }

        var chatOptions = turn.CreateOptions(request);
        if (request.Stream)
        {
            return TypedResults.ServerSentEvents(StreamAsync(turn, request, chatOptions, completionId, created, stream, cancellationToken));
        }

        var response = await turn.GetResponseAsync(chatOptions, cancellationToken).ConfigureAwait(false);
        var limiter = new ReplyLimiter(turn.Counter, request.MaxTokens);
        limiter.Append(response.Text);
        var reply = limiter.Text;
        var finish = limiter.Cut || response.FinishReason == ChatFinishReason.Length ? "length" : "stop";
        var usage = new CompletionUsage(turn.Counter.CountTokens(turn.Prompt), turn.Counter.CountTokens(reply));
        metrics.RecordTokens(request.Model, usage.PromptTokens, usage.CompletionTokens);
        contentLog.Reply(request.Model, reply);
        var parley = ParleyReplyInfo.From(BotReplyInfo.From(response.AdditionalProperties), turn.SessionId);
        return TypedResults.Ok(new ChatCompletion(completionId, created, request.Model, [new CompletionChoice(0, new CompletionMessage(reply), finish)], usage, parley));
    }

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(
        BotTurn turn, ChatCompletionRequest request, ChatOptions chatOptions, string id, long created, StreamContext stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ChatCompletionChunk Chunk(ChunkDelta delta, string? finish = null, ParleyReplyInfo? parley = null) =>
            new(id, created, request.Model, [new ChunkChoice(0, delta, finish)], Parley: parley);

        stream.Metrics.StreamChanged(+1);
        try
        {
            yield return Data(Chunk(new ChunkDelta("assistant", string.Empty)));
            var limiter = new ReplyLimiter(turn.Counter, request.MaxTokens);
            var updates = new List<ChatResponseUpdate>();
            var first = true;
            await foreach (var update in turn.GetStreamingResponseAsync(chatOptions, cancellationToken).ConfigureAwait(false))
            {
                updates.Add(update);
                var piece = limiter.Append(update.Text);
                if (piece.Length > 0)
                {
                    if (first)
                    {
                        first = false;
                        stream.Metrics.RecordTimeToFirstToken(request.Model, stream.Clock.GetElapsedTime(stream.Started));
                    }

                    yield return Data(Chunk(new ChunkDelta(null, piece)));
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
            yield return Data(Chunk(new ChunkDelta(null, null), finish, ParleyReplyInfo.From(BotReplyInfo.From(response.AdditionalProperties), turn.SessionId)));
            var usage = new CompletionUsage(turn.Counter.CountTokens(turn.Prompt), turn.Counter.CountTokens(reply));
            stream.Metrics.RecordTokens(request.Model, usage.PromptTokens, usage.CompletionTokens);
            if (request.IncludeUsage)
            {
                yield return Data(new ChatCompletionChunk(id, created, request.Model, [], usage));
            }

            yield return new SseItem<string>("[DONE]");
        }
        finally
        {
            stream.Metrics.StreamChanged(-1);
        }
    }

    private static SseItem<string> Data(ChatCompletionChunk chunk) => new(JsonSerializer.Serialize(chunk, ServerJson.Options));
}
