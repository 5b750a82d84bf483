namespace Parley.Server.Chat;

/// <summary>What a streamed chunk adds to the reply.</summary>
/// <param name="Role"><c>assistant</c> in the first chunk, else null.</param>
/// <param name="Content">The next piece of text, or null.</param>
/// <param name="ToolCalls">Tool calls of an upstream model, or null.</param>
/// <param name="Annotations">The reply's citations, in the last chunk; null when it cites nothing.</param>
public sealed record ChunkDelta(string? Role, string? Content, IReadOnlyList<ChunkToolCall>? ToolCalls = null, IReadOnlyList<UrlCitationAnnotation>? Annotations = null);
