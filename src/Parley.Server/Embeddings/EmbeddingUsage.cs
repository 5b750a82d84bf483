namespace Parley.Server.Embeddings;

/// <summary>Token counts of an embeddings request.</summary>
/// <param name="PromptTokens">Tokens of the inputs.</param>
public sealed record EmbeddingUsage(int PromptTokens)
{
    /// <summary>The same as <see cref="PromptTokens"/>.</summary>
    public int TotalTokens => PromptTokens;
}
