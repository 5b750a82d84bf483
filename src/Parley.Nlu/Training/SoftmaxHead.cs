using System.Numerics.Tensors;

namespace Parley.Nlu.Training;

/// <summary>
/// A multinomial logistic-regression head: <c>p = softmax(W·x + b)</c> with weights <c>[classes × dimensions]</c>
/// (row-major, one row per class) and one bias per class.
/// </summary>
public sealed class SoftmaxHead
{
    private readonly float[] _weights;
    private readonly float[] _bias;

    /// <summary>Creates a head with all weights and biases zero (every class equally likely).</summary>
    /// <param name="classes">The number of classes (at least 1).</param>
    /// <param name="dimensions">The length of a feature vector (at least 1).</param>
    public SoftmaxHead(int classes, int dimensions)
        : this(classes, dimensions, new float[checked(classes * dimensions)], new float[classes])
    {
    }

    /// <summary>Creates a head from existing parameters; the arrays are used as they are, not copied.</summary>
    /// <param name="classes">The number of classes (at least 1).</param>
    /// <param name="dimensions">The length of a feature vector (at least 1).</param>
    /// <param name="weights">Row-major weights, <paramref name="classes"/> × <paramref name="dimensions"/>.</param>
    /// <param name="bias">One bias per class.</param>
    public SoftmaxHead(int classes, int dimensions, float[] weights, float[] bias)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(bias);
        if (weights.Length != classes * dimensions)
        {
            throw new ArgumentException($"Expected {classes} × {dimensions} = {classes * dimensions} weights, got {weights.Length}.", nameof(weights));
        }

        if (bias.Length != classes)
        {
            throw new ArgumentException($"Expected {classes} biases, got {bias.Length}.", nameof(bias));
        }

        Classes = classes;
        Dimensions = dimensions;
        _weights = weights;
        _bias = bias;
    }

    /// <summary>The number of classes.</summary>
    public int Classes { get; }

    /// <summary>The length of a feature vector.</summary>
    public int Dimensions { get; }

    /// <summary>The row-major weights (<see cref="Classes"/> × <see cref="Dimensions"/>); writable, for trainers.</summary>
    public Span<float> Weights => _weights;

    /// <summary>The biases, one per class; writable, for trainers.</summary>
    public Span<float> Bias => _bias;

    /// <summary>The class probabilities of one feature vector.</summary>
    /// <param name="features">A vector of <see cref="Dimensions"/> values.</param>
    /// <returns>A new array of <see cref="Classes"/> probabilities that sum to 1.</returns>
    public float[] Predict(float[] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var probabilities = new float[Classes];
        Predict(features, probabilities);
        return probabilities;
    }

    /// <summary>Writes the class probabilities of one feature vector into <paramref name="probabilities"/>.</summary>
    /// <param name="features">A vector of <see cref="Dimensions"/> values.</param>
    /// <param name="probabilities">Receives <see cref="Classes"/> probabilities.</param>
    public void Predict(ReadOnlySpan<float> features, Span<float> probabilities)
    {
        Logits(features, probabilities);
        Softmax(probabilities);
    }

    /// <summary>Writes the raw scores <c>W·x + b</c> into <paramref name="logits"/>.</summary>
    /// <param name="features">A vector of <see cref="Dimensions"/> values.</param>
    /// <param name="logits">Receives <see cref="Classes"/> scores.</param>
    public void Logits(ReadOnlySpan<float> features, Span<float> logits)
    {
        if (features.Length != Dimensions)
        {
            throw new ArgumentException($"Expected a feature vector of {Dimensions} values, got {features.Length}.", nameof(features));
        }

        if (logits.Length != Classes)
        {
            throw new ArgumentException($"Expected room for {Classes} values, got {logits.Length}.", nameof(logits));
        }

        for (var c = 0; c < Classes; c++)
        {
            logits[c] = TensorPrimitives.Dot(features, _weights.AsSpan(c * Dimensions, Dimensions)) + _bias[c];
        }
    }

    /// <summary>A deep copy of this head.</summary>
    public SoftmaxHead Clone() => new(Classes, Dimensions, (float[])_weights.Clone(), (float[])_bias.Clone());

    /// <summary>Turns scores into probabilities in place, subtracting the maximum first so large scores cannot overflow.</summary>
    /// <param name="values">The scores; replaced by probabilities.</param>
    public static void Softmax(Span<float> values)
    {
        var max = TensorPrimitives.Max(values);
        TensorPrimitives.Subtract(values, max, values);
        TensorPrimitives.Exp(values, values);
        TensorPrimitives.Divide(values, TensorPrimitives.Sum(values), values);
    }
}
