using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Parley.OpenAI;
using Parley.Server.Errors;
using OpenAIChat = OpenAI.Chat;

namespace Parley.Server.Chat;

/// <summary>
/// Passes chat completions through to the upstream model: a JSON request to an OpenAI-compatible upstream is forwarded
/// as the client sent it (<see cref="ForwardAsync"/>); streams, and upstreams given as other chat clients, go through
/// Microsoft.Extensions.AI (<see cref="CompleteAsync"/>): sampling fields and tools go along, tool calls come back.
/// </summary>
internal static class UpstreamCompletions
{
    /// <summary>Answers <paramref name="request"/> from <paramref name="upstream"/>, as JSON or as server-sent chunks.</summary>
    public static async Task<IResult> CompleteAsync(
        IChatClient upstream, string upstreamModel, ChatCompletionRequest request, string id, long created, StreamContext stream, CancellationToken cancellationToken)
    {
        var chatOptions = new ChatOptions
        {
            ModelId = upstreamModel,
            MaxOutputTokens = request.MaxTokens,
            Temperature = request.Temperature,
            TopP = request.TopP,
            Seed = request.Seed,
            StopSequences = request.Stop?.ToList(),
            Tools = request.Tools,
            ToolMode = request.ToolMode,
            ResponseFormat = request.ResponseFormat,
        };
        if (request.ResponseFormatStrict is { } strict)
        {
            (chatOptions.AdditionalProperties ??= [])[ResponseFormatWire.StrictKey] = strict;
        }

        if (request.User is { } user)
        {
            // M.E.AI has no end-user field; OpenAI's client takes it from its own options, which other clients ignore.
            chatOptions.RawRepresentationFactory = _ => new OpenAIChat.ChatCompletionOptions { EndUserId = user };
        }

        if (request.Stream)
        {
            var source = await ChatStream.StartAsync(token => upstream.GetStreamingResponseAsync(request.Messages, chatOptions, token), request.Model, stream, cancellationToken).ConfigureAwait(false);
            return TypedResults.ServerSentEvents(StreamAsync(source, request, id, created, stream, cancellationToken));
        }

        ChatResponse response;
        try
        {
            response = await upstream.GetResponseAsync(request.Messages, chatOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not ApiException)
        {
            // The upstream's own status (401, 500...) concerns Parley's key and quota: a 502 without the upstream's
            // message (it can echo the key), or a 429 with its Retry-After; a refusal of the client's own request (400,
            // 413, 422) is a 400 with the upstream's reason.
            throw UpstreamErrors.ForStream(e, request.Model, stream.Logger, stream.PassThrough);
        }

        var calls = ToolWire.ToToolCalls(response.Messages.SelectMany(m => m.Contents));
        var text = response.Text;
        var message = new CompletionMessage(calls.Count > 0 && text.Length == 0 ? null : text, calls.Count > 0 ? calls : null);
        var usage = Usage(response.Usage);
        stream.Metrics.RecordTokens(request.Model, usage.PromptTokens, usage.CompletionTokens);
        stream.Content.Reply(request.Model, text);
        return TypedResults.Ok(new ChatCompletion(id, created, request.Model, [new CompletionChoice(0, message, Finish(response.FinishReason, calls.Count > 0))], usage, null));
    }

    /// <summary>
    /// Answers <paramref name="request"/> (not streamed) by sending <paramref name="body"/>, the client's JSON, to the
    /// upstream as it is and returning the upstream's JSON answer as it is; failures as <see cref="CompleteAsync"/>'s.
    /// </summary>
    public static async Task<IResult> ForwardAsync(
        OpenAIChatForwarder forwarder, ReadOnlyMemory<byte> body, ChatCompletionRequest request, StreamContext stream, CancellationToken cancellationToken)
    {
        ForwardedCompletion completion;
        try
        {
            completion = await forwarder.CompleteAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not ApiException)
        {
            throw UpstreamErrors.ForStream(e, request.Model, stream.Logger, stream.PassThrough);
        }

        stream.Metrics.RecordTokens(request.Model, completion.InputTokens ?? 0, completion.OutputTokens ?? 0);
        if (stream.Content.IsEnabled)
        {
            stream.Content.Reply(request.Model, completion.ReplyText());
        }

        return TypedResults.Bytes(completion.Json, "application/json");
    }

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(
        ChatStream source, ChatCompletionRequest request, string id, long created, StreamContext stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ChatCompletionChunk Chunk(ChunkDelta delta, string? finish = null) => new(id, created, request.Model, [new ChunkChoice(0, delta, finish)]);

        await using var _ = source;
        stream.Metrics.StreamChanged(+1);
        try
        {
            yield return SseEvents.Data(Chunk(new ChunkDelta("assistant", string.Empty)));
            var updates = new List<ChatResponseUpdate>();
            var callCount = 0;
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
                if (update.Text is { Length: > 0 } piece)
                {
                    if (first)
                    {
                        first = false;
                        stream.Metrics.RecordTimeToFirstToken(request.Model, stream.Clock.GetElapsedTime(stream.Started));
                    }

                    yield return SseEvents.Data(Chunk(new ChunkDelta(null, piece)));
                }

                var calls = ToolWire.ToToolCalls(update.Contents);
                if (calls.Count > 0)
                {
                    yield return SseEvents.Data(Chunk(new ChunkDelta(null, null, [.. calls.Select(c => new ChunkToolCall(callCount++, c.Id, c.Function))])));
                }
            }

            var response = updates.ToChatResponse();
            if (stream.Content.IsEnabled)
            {
                stream.Content.Reply(request.Model, response.Text);
            }

            yield return SseEvents.Data(Chunk(new ChunkDelta(null, null), Finish(response.FinishReason, callCount > 0)));
            var usage = Usage(response.Usage);
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
        }
    }

    private static string Finish(ChatFinishReason? reason, bool calledTools)
    {
        if (calledTools || reason == ChatFinishReason.ToolCalls)
        {
            return "tool_calls";
        }

        return reason == ChatFinishReason.Length ? "length" : reason == ChatFinishReason.ContentFilter ? "content_filter" : "stop";
    }

    private static CompletionUsage Usage(UsageDetails? usage) =>
        new((int)(usage?.InputTokenCount ?? 0), (int)(usage?.OutputTokenCount ?? 0));
}
