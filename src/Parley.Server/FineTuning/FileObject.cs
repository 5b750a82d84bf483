using System.Text.Json.Serialization;

namespace Parley.Server.FineTuning;

/// <summary>An uploaded file, as OpenAI's <c>file</c> object; also stored as <c>files/&lt;id&gt;.json</c>.</summary>
public sealed record FileObject
{
    /// <summary>Always <c>file</c>.</summary>
    public string Object => "file";

    /// <summary>The file id: <c>file-</c> and 24 letters and digits.</summary>
    public required string Id { get; init; }

    /// <summary>The size in bytes.</summary>
    public required long Bytes { get; init; }

    /// <summary>When it was uploaded, in Unix seconds.</summary>
    public required long CreatedAt { get; init; }

    /// <summary>The name it was uploaded with.</summary>
    public required string Filename { get; init; }

    /// <summary>What it is for: always <c>fine-tune</c> here.</summary>
    public required string Purpose { get; init; }

    /// <summary>Always <c>processed</c>: a file is checked before it is stored.</summary>
    public string Status => "processed";

    /// <summary>Never set: files do not expire.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long? ExpiresAt { get; init; }
}
