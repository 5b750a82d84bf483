using System.Text.Json.Serialization;

namespace Parley.Server.Chat;

/// <summary>The reply message of a <see cref="ChatCompletion"/>.</summary>
/// <param name="Content">The reply text; null when an upstream model only called tools.</param>
/// <param name="ToolCalls">The tool calls of an upstream model, or null.</param>
/// <param name="Annotations">The reply's citations (<c>url_citation</c>), or null when it cites nothing.</param>
public sealed record CompletionMessage(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Content,
    IReadOnlyList<ToolCall>? ToolCalls = null,
    IReadOnlyList<UrlCitationAnnotation>? Annotations = null)
{
    /// <summary>Always <c>assistant</c>.</summary>
    public string Role => "assistant";
}
