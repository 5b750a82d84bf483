using System.Text.Json.Serialization;

namespace Parley.Server.Chat;

/// <summary>The one choice of a <see cref="ChatCompletionChunk"/>.</summary>
/// <param name="Index">Always 0.</param>
/// <param name="Delta">What the chunk adds.</param>
/// <param name="FinishReason">Null until the last content chunk; then <c>stop</c> or <c>length</c>.</param>
public sealed record ChunkChoice(
    int Index,
    ChunkDelta Delta,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? FinishReason);
