using System.Text.Json.Nodes;

namespace Parley.OpenAI.FineTuning;

/// <summary>An uploaded file: the fields of OpenAI's <c>file</c> object.</summary>
/// <param name="Id">The file id, e.g. "file-abc123".</param>
/// <param name="Filename">The name it was uploaded under.</param>
/// <param name="Bytes">Its size, when reported.</param>
/// <param name="Purpose">Its purpose, e.g. "fine-tune".</param>
/// <param name="CreatedAt">When it was uploaded.</param>
public sealed record FineTuningFileInfo(string Id, string? Filename, long? Bytes, string? Purpose, DateTimeOffset? CreatedAt)
{
    /// <summary>The file in OpenAI's snake_case shape.</summary>
    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["object"] = "file",
        ["bytes"] = Bytes,
        ["created_at"] = CreatedAt?.ToUnixTimeSeconds(),
        ["filename"] = Filename,
        ["purpose"] = Purpose,
    };
}
