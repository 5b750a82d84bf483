namespace Parley.Server.Embeddings;

/// <summary>One vector of an <see cref="EmbeddingList"/>.</summary>
/// <param name="Index">The input's position.</param>
/// <param name="Embedding">The vector: an array of floats, or a base64 string of little-endian float32 values.</param>
public sealed record EmbeddingItem(int Index, object Embedding)
{
    /// <summary>Always <c>embedding</c>.</summary>
    public string Object => "embedding";
}
