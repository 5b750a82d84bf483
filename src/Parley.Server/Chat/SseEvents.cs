using System.Net.ServerSentEvents;
using System.Text.Json;
using Parley.Server.Errors;

namespace Parley.Server.Chat;

/// <summary>The server-sent events of a streamed chat completion: chunks, an error in OpenAI's shape, and <c>[DONE]</c>.</summary>
internal static class SseEvents
{
    /// <summary>The last event of every stream, also after an error.</summary>
    public static SseItem<string> Done { get; } = new("[DONE]");

    public static SseItem<string> Data(ChatCompletionChunk chunk) => new(JsonSerializer.Serialize(chunk, ServerJson.Options));

    /// <summary>An error after the stream started: <c>data: {"error":{"message","type","param","code"}}</c>, as OpenAI sends it.</summary>
    public static SseItem<string> Error(ApiException error) => new(JsonSerializer.Serialize(ErrorBody.From(error), ServerJson.Options));
}
