using System.Text.Json;
using Parley.Retrieval.Knowledge;

namespace Parley.Retrieval.Indexing;

/// <summary>An index as stored: its manifest, and its passage vectors as one row-major matrix.</summary>
internal sealed record StoredIndex(KnowledgeIndexManifest Manifest, float[] Matrix, int Dimensions)
{
    /// <summary>How the manifest is written and read.</summary>
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = false };

    /// <summary>A manifest chunk as a passage.</summary>
    public static KnowledgePassage ToPassage(ManifestChunk c) => new(c.Id, c.Source, c.Title ?? string.Empty, c.Heading ?? string.Empty, c.Text, c.Start, c.Length);

    /// <summary>A passage as a manifest chunk.</summary>
    public static ManifestChunk ToChunk(KnowledgePassage p) => new(p.Id, p.Source, p.Title, p.Heading, p.Start, p.Length, p.Text);
}
