using System.Numerics.Tensors;

namespace Parley.Nlu.Training;

/// <summary>The L2-regularised, optionally class-weighted cross-entropy of a softmax head, and its gradient.</summary>
internal sealed class SoftmaxObjective(float[][] features, int[] labels, float[]? weights, int classes, double l2)
{
    private readonly int _dimensions = features[0].Length;

    public int Classes => classes;

    public int Dimensions => _dimensions;

    public int Count => features.Length;

    /// <summary>
    /// Adds the gradient of the summed (weighted) cross-entropy of <paramref name="items"/> to the gradient buffers and
    /// returns that sum. Parameters and gradient are laid out as <c>[W (classes × dims), b (classes)]</c>.
    /// </summary>
    public double AccumulateCrossEntropy(ReadOnlySpan<float> parameters, Span<float> gradient, ReadOnlySpan<int> items, Span<float> scratch, CancellationToken cancellationToken)
    {
        var d = _dimensions;
        var w = parameters[..(classes * d)];
        var b = parameters[(classes * d)..];
        var gw = gradient[..(classes * d)];
        var gb = gradient[(classes * d)..];
        var loss = 0.0;
        for (var n = 0; n < items.Length; n++)
        {
            if ((n & 255) == 255)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var i = items[n];
            var x = features[i];
            for (var c = 0; c < classes; c++)
            {
                scratch[c] = TensorPrimitives.Dot(x, w.Slice(c * d, d)) + b[c];
            }

            var y = labels[i];
            var max = TensorPrimitives.Max(scratch);
            TensorPrimitives.Subtract(scratch, max, scratch);
            TensorPrimitives.Exp(scratch, scratch);
            var sum = TensorPrimitives.Sum(scratch);
            TensorPrimitives.Divide(scratch, sum, scratch);
            var weight = weights?[y] ?? 1f;
            loss += weight * -Math.Log(Math.Max(scratch[y], 1e-30));
            scratch[y] -= 1f;
            if (weight != 1f)
            {
                TensorPrimitives.Multiply(scratch, weight, scratch);
            }

            for (var c = 0; c < classes; c++)
            {
                var g = scratch[c];
                if (g != 0f)
                {
                    var row = gw.Slice(c * d, d);
                    TensorPrimitives.MultiplyAdd(x, g, row, row);
                }
            }

            TensorPrimitives.Add(gb, scratch, gb);
        }

        return loss;
    }

    /// <summary>Scales the summed gradient to a mean over <paramref name="count"/> items and adds the L2 term; returns the mean loss with the penalty.</summary>
    public double Finish(ReadOnlySpan<float> parameters, Span<float> gradient, double summedLoss, int count)
    {
        TensorPrimitives.Multiply(gradient, 1f / count, gradient);
        var weightCount = classes * _dimensions;
        var w = parameters[..weightCount];
        var penalty = 0.0;
        if (l2 > 0)
        {
            var gw = gradient[..weightCount];
            TensorPrimitives.MultiplyAdd(w, (float)l2, gw, gw);
            penalty = 0.5 * l2 * TensorPrimitives.Dot(w, w);
        }

        return summedLoss / count + penalty;
    }

    /// <summary>The full-batch objective and gradient (gradient is overwritten).</summary>
    public double Evaluate(ReadOnlySpan<float> parameters, Span<float> gradient, int[] all, Span<float> scratch, CancellationToken cancellationToken)
    {
        gradient.Clear();
        var sum = AccumulateCrossEntropy(parameters, gradient, all, scratch, cancellationToken);
        return Finish(parameters, gradient, sum, all.Length);
    }
}
