namespace Parley.Server.Chat;

/// <summary>One server-sent event of a streaming <c>POST /v1/chat/completions</c> answer.</summary>
/// <param name="Id">The completion id, the same in every chunk.</param>
/// <param name="Created">When the completion was created, in Unix seconds.</param>
/// <param name="Model">The model id.</param>
/// <param name="Choices">The one choice, or none in the usage chunk.</param>
/// <param name="Usage">The token counts, in the last chunk when the client asked for them.</param>
/// <param name="Parley">How the bot answered, in the chunk that finishes the reply.</param>
public sealed record ChatCompletionChunk(string Id, long Created, string Model, IReadOnlyList<ChunkChoice> Choices, CompletionUsage? Usage = null, ParleyReplyInfo? Parley = null)
{
    /// <summary>Always <c>chat.completion.chunk</c>.</summary>
    public string Object => "chat.completion.chunk";
}
