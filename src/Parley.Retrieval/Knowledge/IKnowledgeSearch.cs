namespace Parley.Retrieval.Knowledge;

/// <summary>Finds the knowledge passages most relevant to a query.</summary>
public interface IKnowledgeSearch
{
    /// <summary>The number of passages that can be searched.</summary>
    int Count { get; }

    /// <summary>Returns up to <paramref name="top"/> passages, best first.</summary>
    /// <param name="query">The user's question.</param>
    /// <param name="top">The maximum number of hits.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int top = 3, CancellationToken cancellationToken = default);
}
