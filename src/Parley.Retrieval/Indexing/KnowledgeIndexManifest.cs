namespace Parley.Retrieval.Indexing;

/// <summary>
/// The <c>manifest.json</c> of an on-disk knowledge index; written last, so its presence marks a complete index.
/// <see cref="Chunking"/> is the <see cref="Chunking.ChunkingOptions.Signature"/> the passages were cut with.
/// </summary>
internal sealed record KnowledgeIndexManifest(int FormatVersion, string EmbeddingModel, string Chunking, int Dimensions, List<ManifestFile> Files, List<ManifestChunk> Chunks);

/// <summary>An indexed file: its content hash and its passages' range in <see cref="KnowledgeIndexManifest.Chunks"/>.</summary>
internal sealed record ManifestFile(string Path, string Sha256, int FirstChunk, int ChunkCount);

/// <summary>A passage; its vector is the row of the same number in <c>vectors.bin</c>.</summary>
internal sealed record ManifestChunk(string Id, string Source, string Title, string Heading, int Start, int Length, string Text);
