using System.Text.Json.Nodes;

namespace Parley.Testing;

/// <summary>A request <see cref="OpenAITestServer"/> received, in arrival order.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, e.g. "/v1/chat/completions".</param>
/// <param name="Body">The body as sent.</param>
/// <param name="Headers">The request headers (case-insensitive names; repeated values joined with commas).</param>
/// <param name="ReceivedAt">When it arrived, by the server's clock.</param>
public sealed record RecordedHttpRequest(
    string Method, string Path, string Body, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ReceivedAt)
{
    /// <summary>The query string as sent, e.g. "?after=ftjob-1&amp;limit=2" ("" when none).</summary>
    public string Query { get; init; } = string.Empty;

    /// <summary>The body parsed as JSON, or <see langword="null"/> when empty.</summary>
    public JsonNode? Json => string.IsNullOrWhiteSpace(Body) ? null : JsonNode.Parse(Body);

    /// <summary>A header's value, or <see langword="null"/> when absent.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
