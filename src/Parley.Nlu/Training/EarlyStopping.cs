using System.Numerics.Tensors;

namespace Parley.Nlu.Training;

/// <summary>
/// Measures each epoch on the validation data, keeps the parameters of the best epoch (highest accuracy, ties broken by
/// lower loss) and says when to stop: after <c>patience</c> epochs without improvement. With <c>keepLast</c> it never stops
/// and keeps the last epoch (validation too small to choose by; the epochs are still measured and reported).
/// </summary>
internal sealed class EarlyStopping(
    int classes, int dimensions, float[][] validationFeatures, int[] validationLabels, int patience, bool withOosClass,
    IProgress<EpochMetrics>? progress, bool keepLast = false)
{
    private readonly long _started = TimeProvider.System.GetTimestamp();
    private readonly List<EpochMetrics> _history = [];
    private float[]? _best;
    private double _bestAccuracy = double.NegativeInfinity;
    private double _bestLoss = double.PositiveInfinity;

    public IReadOnlyList<EpochMetrics> History => _history;

    public int BestEpoch { get; private set; }

    /// <summary>Records an epoch; returns <see langword="true"/> when training should stop.</summary>
    public bool Report(int epoch, double trainLoss, float[] parameters, CancellationToken cancellationToken)
    {
        var (loss, accuracy) = Measure(parameters, cancellationToken);
        var metrics = new EpochMetrics(epoch, trainLoss, loss, accuracy, TimeProvider.System.GetElapsedTime(_started), withOosClass);
        _history.Add(metrics);
        progress?.Report(metrics);
        var improved = keepLast
            || validationFeatures.Length == 0
            || accuracy > _bestAccuracy
            || (accuracy == _bestAccuracy && loss < _bestLoss);
        if (improved)
        {
            _bestAccuracy = accuracy;
            _bestLoss = loss;
            BestEpoch = epoch;
            _best ??= new float[parameters.Length];
            parameters.CopyTo(_best, 0);
        }

        return !keepLast && patience > 0 && epoch - BestEpoch >= patience;
    }

    public SoftmaxHead BestHead()
    {
        var weights = _best.AsSpan(0, classes * dimensions).ToArray();
        var bias = _best.AsSpan(classes * dimensions, classes).ToArray();
        return new SoftmaxHead(classes, dimensions, weights, bias);
    }

    private (double Loss, double Accuracy) Measure(float[] parameters, CancellationToken cancellationToken)
    {
        if (validationFeatures.Length == 0)
        {
            return (double.NaN, double.NaN);
        }

        var head = new SoftmaxHead(classes, dimensions, parameters.AsSpan(0, classes * dimensions).ToArray(), parameters.AsSpan(classes * dimensions).ToArray());
        var probabilities = new float[classes];
        var loss = 0.0;
        var scored = 0;
        var correct = 0;
        for (var i = 0; i < validationFeatures.Length; i++)
        {
            if ((i & 255) == 255)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            head.Predict(validationFeatures[i], probabilities);
            var y = validationLabels[i];
            if (y < 0)
            {
                continue;
            }

            scored++;
            loss -= Math.Log(Math.Max(probabilities[y], 1e-30));
            if (TensorPrimitives.IndexOfMax(probabilities) == y)
            {
                correct++;
            }
        }

        return (scored > 0 ? loss / scored : double.NaN, (double)correct / validationFeatures.Length);
    }
}
