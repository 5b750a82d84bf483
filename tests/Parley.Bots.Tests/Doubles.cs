using Parley.Nlu.Intents;
using Parley.Retrieval.Knowledge;

namespace Parley.Bots.Tests;

/// <summary>A classifier that answers from a table.</summary>
internal sealed class TableClassifier(Dictionary<string, (string Intent, double Confidence)> table) : IIntentClassifier
{
    public Task<IntentPrediction> ClassifyAsync(string text, CancellationToken cancellationToken = default) =>
        Task.FromResult(table.TryGetValue(text, out var hit)
            ? new IntentPrediction([new IntentScore(hit.Intent, hit.Confidence)])
            : new IntentPrediction([]));
}

/// <summary>A classifier that gives the same scores for every text.</summary>
internal sealed class FixedClassifier(params IntentScore[] scores) : IIntentClassifier
{
    public Task<IntentPrediction> ClassifyAsync(string text, CancellationToken cancellationToken = default) =>
        Task.FromResult(new IntentPrediction(scores));
}

/// <summary>A knowledge search that returns fixed hits for every query.</summary>
internal sealed class FixedSearch(params KnowledgeHit[] hits) : IKnowledgeSearch
{
    public List<string> Queries { get; } = [];

    public int Count => hits.Length;

    public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int top = 3, CancellationToken cancellationToken = default)
    {
        Queries.Add(query);
        return Task.FromResult<IReadOnlyList<KnowledgeHit>>(hits.Take(top).ToArray());
    }

    public static KnowledgeHit Hit(string source, string heading, string text, double score) =>
        new(new KnowledgePassage($"{source}#{heading.ToLowerInvariant()}", source, "Doc " + source, heading, text, 0, text.Length), score);
}
