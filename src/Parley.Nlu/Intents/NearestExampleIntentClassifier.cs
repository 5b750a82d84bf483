using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace Parley.Nlu.Intents;

/// <summary>
/// Classifies an utterance by its nearest labelled example in embedding space (cosine similarity).
/// Needs no training: the confidence is the similarity of the closest example of each intent.
/// </summary>
public sealed class NearestExampleIntentClassifier : IIntentClassifier
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embeddings;
    private readonly LabeledExample[] _examples;
    private readonly float[] _matrix;
    private readonly int _dimensions;
    private readonly int _top;

    private NearestExampleIntentClassifier(
        IEmbeddingGenerator<string, Embedding<float>> embeddings, LabeledExample[] examples, float[] matrix, int dimensions, int top)
    {
        _embeddings = embeddings;
        _examples = examples;
        _matrix = matrix;
        _dimensions = dimensions;
        _top = top;
    }

    /// <summary>The examples the classifier compares against.</summary>
    public IReadOnlyList<LabeledExample> Examples => _examples;

    /// <summary>Embeds the examples and creates the classifier.</summary>
    /// <param name="embeddings">The embedding generator; its vectors must be L2-normalised.</param>
    /// <param name="examples">The labelled examples.</param>
    /// <param name="top">How many intents to rank in a prediction.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<NearestExampleIntentClassifier> CreateAsync(
        IEmbeddingGenerator<string, Embedding<float>> embeddings,
        IEnumerable<LabeledExample> examples,
        int top = 3,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var list = examples.ToArray();
        if (list.Length == 0)
        {
            return new NearestExampleIntentClassifier(embeddings, list, [], 0, top);
        }

        var vectors = await embeddings.GenerateAsync(list.Select(e => e.Text), cancellationToken: cancellationToken).ConfigureAwait(false);
        var dimensions = vectors[0].Vector.Length;
        var matrix = new float[list.Length * dimensions];
        for (var i = 0; i < list.Length; i++)
        {
            vectors[i].Vector.Span.CopyTo(matrix.AsSpan(i * dimensions, dimensions));
        }

        return new NearestExampleIntentClassifier(embeddings, list, matrix, dimensions, top);
    }

    /// <inheritdoc />
    public async Task<IntentPrediction> ClassifyAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_examples.Length == 0 || string.IsNullOrWhiteSpace(text))
        {
            return new IntentPrediction([]);
        }

        var query = (await _embeddings.GenerateAsync([text], cancellationToken: cancellationToken).ConfigureAwait(false))[0].Vector;
        var best = new Dictionary<string, (double Score, int Index)>(StringComparer.Ordinal);
        for (var i = 0; i < _examples.Length; i++)
        {
            var score = TensorPrimitives.Dot(query.Span, _matrix.AsSpan(i * _dimensions, _dimensions));
            var intent = _examples[i].Intent;
            if (!best.TryGetValue(intent, out var current) || score > current.Score)
            {
                best[intent] = (score, i);
            }
        }

        var top = best
            .OrderByDescending(p => p.Value.Score)
            .Take(_top)
            .Select(p => new IntentScore(p.Key, Math.Round(p.Value.Score, 4), _examples[p.Value.Index].Text))
            .ToArray();
        return new IntentPrediction(top);
    }
}
