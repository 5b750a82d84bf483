namespace Parley.Retrieval.Indexing;

/// <summary>How far <see cref="KnowledgeIndexStore.BuildAsync"/> has come.</summary>
/// <param name="Stage">What it is doing: <see cref="Reading"/>, <see cref="Embedding"/> or <see cref="Writing"/>.</param>
/// <param name="Done">Items done in this stage (files read, passages embedded).</param>
/// <param name="Total">Items in this stage.</param>
/// <param name="Warning">
/// Something the user should know, else null: a file skipped, with why (<c>skipped path: reason</c>), or an existing
/// index that could not be reused and is rebuilt from scratch, with why.
/// </param>
public sealed record KnowledgeIndexProgress(string Stage, int Done, int Total, string? Warning = null)
{
    /// <summary>Reading and chunking files.</summary>
    public const string Reading = "reading";

    /// <summary>Embedding new or changed passages.</summary>
    public const string Embedding = "embedding";

    /// <summary>Writing the index and swapping it in.</summary>
    public const string Writing = "writing";
}
