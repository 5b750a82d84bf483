namespace Parley.Server.Chat;

/// <summary>A tool call in a streamed chunk; Parley sends each call whole, in one chunk.</summary>
/// <param name="Index">The call's position among the reply's calls.</param>
/// <param name="Id">The call id.</param>
/// <param name="Function">The function and its arguments.</param>
public sealed record ChunkToolCall(int Index, string Id, ToolCallFunction Function)
{
    /// <summary>Always <c>function</c>.</summary>
    public string Type => "function";
}
