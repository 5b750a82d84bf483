namespace Parley.Server.Chat;

/// <summary>A tool call of an upstream model's reply, in OpenAI's shape.</summary>
/// <param name="Id">The call id the tool result must quote as <c>tool_call_id</c>.</param>
/// <param name="Function">The function and its arguments.</param>
public sealed record ToolCall(string Id, ToolCallFunction Function)
{
    /// <summary>Always <c>function</c>.</summary>
    public string Type => "function";
}
