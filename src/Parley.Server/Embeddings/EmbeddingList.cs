namespace Parley.Server.Embeddings;

/// <summary>The body of a <c>POST /v1/embeddings</c> answer.</summary>
/// <param name="Data">One vector per input, in order.</param>
/// <param name="Model">The model id.</param>
/// <param name="Usage">The token counts.</param>
public sealed record EmbeddingList(IReadOnlyList<EmbeddingItem> Data, string Model, EmbeddingUsage Usage)
{
    /// <summary>Always <c>list</c>.</summary>
    public string Object => "list";
}
