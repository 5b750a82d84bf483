namespace Parley.Core.FineTuning;

/// <summary>
/// The record of an uploaded fine-tuning file: its id, owner and metadata. The content itself is not in the store
/// (it stays on the file system the servers share; see <c>docs/deployment.md</c>).
/// </summary>
public sealed record FineTuningFileRecord
{
    /// <summary>The file id.</summary>
    public required string Id { get; init; }

    /// <summary>The API key's owner id that uploaded it (<c>key_…</c>), or null when the server was open.</summary>
    public string? Owner { get; init; }

    /// <summary>When it was uploaded, in Unix seconds; lists are newest first by this.</summary>
    public required long CreatedAt { get; init; }

    /// <summary>The metadata as the API shows it (a JSON object), kept as written.</summary>
    public required string Data { get; init; }
}
