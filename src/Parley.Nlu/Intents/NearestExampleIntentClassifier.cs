using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Parley.Nlu.Features;

namespace Parley.Nlu.Intents;

/// <summary>
/// Classifies an utterance by its nearest labelled example (cosine similarity), in sentence-embedding space or in the
/// space of any <see cref="IFeaturizer"/>. Needs no training: the confidence is the similarity of the closest example
/// of each intent.
/// </summary>
public sealed class NearestExampleIntentClassifier : IIntentClassifier
{
    private readonly Func<string, CancellationToken, Task<float[]>> _vectorize;
    private readonly LabeledExample[] _examples;
    private readonly float[] _matrix;
    private readonly float[]? _weights;
    private readonly int _dimensions;
    private readonly int _top;

    private NearestExampleIntentClassifier(
        Func<string, CancellationToken, Task<float[]>> vectorize, LabeledExample[] examples, float[] matrix, float[]? weights, int dimensions, int top)
    {
        _vectorize = vectorize;
        _examples = examples;
        _matrix = matrix;
        _weights = weights;
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
        async Task<float[][]> Vectorize(IReadOnlyList<string> texts, CancellationToken token) =>
            [.. (await embeddings.GenerateAsync(texts, cancellationToken: token).ConfigureAwait(false)).Select(e => e.Vector.ToArray())];
        return await CreateAsync(Vectorize, examples, top, inverseDocumentFrequency: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Computes the examples' features and creates the classifier.</summary>
    /// <param name="featurizer">The featurizer (vectors are L2-normalised here, so any featurizer works).</param>
    /// <param name="examples">The labelled examples.</param>
    /// <param name="top">How many intents to rank in a prediction.</param>
    /// <param name="inverseDocumentFrequency">
    /// Weigh each feature by its inverse document frequency over the examples, <c>ln((1 + n) / (1 + df)) + 1</c>, before
    /// the cosine — for sparse features such as character n-grams, where grams that every example shares ("吗", "我")
    /// otherwise make unrelated messages look similar. Leave it off for dense sentence embeddings.
    /// </param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static Task<NearestExampleIntentClassifier> CreateAsync(
        IFeaturizer featurizer,
        IEnumerable<LabeledExample> examples,
        int top = 3,
        bool inverseDocumentFrequency = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(featurizer);
        ArgumentNullException.ThrowIfNull(examples);
        return CreateAsync((texts, token) => featurizer.FeaturizeAsync(texts, null, token), examples, top, inverseDocumentFrequency, cancellationToken);
    }

    private static async Task<NearestExampleIntentClassifier> CreateAsync(
        Func<IReadOnlyList<string>, CancellationToken, Task<float[][]>> vectorize,
        IEnumerable<LabeledExample> examples,
        int top,
        bool inverseDocumentFrequency,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        async Task<float[]> One(string text, CancellationToken token) => (await vectorize([text], token).ConfigureAwait(false))[0];
        var list = examples.ToArray();
        if (list.Length == 0)
        {
            return new NearestExampleIntentClassifier(One, list, [], null, 0, top);
        }

        var vectors = await vectorize([.. list.Select(e => e.Text)], cancellationToken).ConfigureAwait(false);
        var dimensions = vectors[0].Length;
        var weights = inverseDocumentFrequency ? InverseDocumentFrequencies(vectors, dimensions) : null;
        var matrix = new float[list.Length * dimensions];
        for (var i = 0; i < list.Length; i++)
        {
            Normalize(vectors[i], weights).CopyTo(matrix.AsSpan(i * dimensions, dimensions));
        }

        return new NearestExampleIntentClassifier(One, list, matrix, weights, dimensions, top);
    }

    /// <inheritdoc />
    public async Task<IntentPrediction> ClassifyAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_examples.Length == 0 || string.IsNullOrWhiteSpace(text))
        {
            return new IntentPrediction([]);
        }

        var query = Normalize(await _vectorize(text, cancellationToken).ConfigureAwait(false), _weights);
        var best = new Dictionary<string, (double Score, int Index)>(StringComparer.Ordinal);
        for (var i = 0; i < _examples.Length; i++)
        {
            var score = TensorPrimitives.Dot(query, _matrix.AsSpan(i * _dimensions, _dimensions));
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

    /// <summary>The examples most similar to <paramref name="text"/>, best first: each as its intent, similarity and text.</summary>
    /// <param name="text">The utterance.</param>
    /// <param name="count">How many examples to return.</param>
    /// <param name="intent">Only examples of this intent; null for all.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public async Task<IReadOnlyList<IntentScore>> NearestExamplesAsync(string text, int count, string? intent = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (_examples.Length == 0 || string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var query = Normalize(await _vectorize(text, cancellationToken).ConfigureAwait(false), _weights);
        return Enumerable.Range(0, _examples.Length)
            .Where(i => intent is null || string.Equals(_examples[i].Intent, intent, StringComparison.Ordinal))
            .Select(i => new IntentScore(_examples[i].Intent, Math.Round(TensorPrimitives.Dot(query, _matrix.AsSpan(i * _dimensions, _dimensions)), 4), _examples[i].Text))
            .OrderByDescending(s => s.Confidence)
            .Take(count)
            .ToArray();
    }

    private static float[] InverseDocumentFrequencies(float[][] vectors, int dimensions)
    {
        var frequencies = new int[dimensions];
        foreach (var vector in vectors)
        {
            for (var j = 0; j < dimensions; j++)
            {
                frequencies[j] += vector[j] != 0 ? 1 : 0;
            }
        }

        var weights = new float[dimensions];
        for (var j = 0; j < dimensions; j++)
        {
            weights[j] = MathF.Log((1f + vectors.Length) / (1f + frequencies[j])) + 1;
        }

        return weights;
    }

    /// <summary>The vector times the weights (when given), L2-normalised; a zero vector stays zero.</summary>
    private static float[] Normalize(float[] vector, float[]? weights)
    {
        var result = weights is null ? (float[])vector.Clone() : new float[vector.Length];
        if (weights is not null)
        {
            TensorPrimitives.Multiply(vector, weights, result);
        }

        var norm = TensorPrimitives.Norm(result);
        if (norm > 0)
        {
            TensorPrimitives.Divide(result, norm, result);
        }

        return result;
    }
}
