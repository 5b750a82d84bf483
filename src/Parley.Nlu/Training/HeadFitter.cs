using System.Numerics.Tensors;

namespace Parley.Nlu.Training;

/// <summary>Fits one softmax head with Adam or L-BFGS, tracking validation accuracy for early stopping.</summary>
internal static class HeadFitter
{
    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;
    private const float Epsilon = 1e-8f;
    private const double ArmijoC1 = 1e-4;
    private const int MaxLineSearchSteps = 30;

    public sealed record Fit(SoftmaxHead Head, IReadOnlyList<EpochMetrics> History, int BestEpoch);

    public static Fit Run(
        float[][] features, int[] labels, int classes, float[][] validationFeatures, int[] validationLabels,
        TrainerOptions options, bool withOosClass, IProgress<EpochMetrics>? progress, CancellationToken cancellationToken, bool keepLast = false)
    {
        var dimensions = features[0].Length;
        var weights = options.ClassWeighting == ClassWeighting.Balanced ? BalancedWeights(labels, classes) : null;
        var objective = new SoftmaxObjective(features, labels, weights, classes, options.L2);
        var tracker = new EarlyStopping(classes, dimensions, validationFeatures, validationLabels, options.Patience, withOosClass, progress, keepLast);
        var parameters = new float[classes * dimensions + classes];
        if (options.Optimizer == OptimizerKind.Adam)
        {
            Adam(objective, parameters, options, tracker, cancellationToken);
        }
        else
        {
            Lbfgs(objective, parameters, options, tracker, cancellationToken);
        }

        return new Fit(tracker.BestHead(), tracker.History, tracker.BestEpoch);
    }

    private static float[] BalancedWeights(int[] labels, int classes)
    {
        var counts = new int[classes];
        foreach (var y in labels)
        {
            counts[y]++;
        }

        var present = counts.Count(c => c > 0);
        return counts.Select(c => c == 0 ? 0f : (float)((double)labels.Length / (present * c))).ToArray();
    }

    private static void Adam(SoftmaxObjective objective, float[] parameters, TrainerOptions options, EarlyStopping tracker, CancellationToken cancellationToken)
    {
        var n = objective.Count;
        var gradient = new float[parameters.Length];
        var m = new float[parameters.Length];
        var v = new float[parameters.Length];
        var step = new float[parameters.Length];
        var scratch = new float[objective.Classes];
        var order = Enumerable.Range(0, n).ToArray();
        var random = new Random(options.Seed);
        var t = 0;
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            random.Shuffle(order);
            var lossSum = 0.0;
            for (var start = 0; start < n; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = order.AsSpan(start, Math.Min(options.BatchSize, n - start));
                gradient.AsSpan().Clear();
                var sum = objective.AccumulateCrossEntropy(parameters, gradient, batch, scratch, cancellationToken);
                lossSum += objective.Finish(parameters, gradient, sum, batch.Length) * batch.Length;

                t++;
                var correction = (float)(options.LearningRate * Math.Sqrt(1 - Math.Pow(Beta2, t)) / (1 - Math.Pow(Beta1, t)));
                TensorPrimitives.Multiply(m, Beta1, m);
                TensorPrimitives.MultiplyAdd(gradient, 1 - Beta1, m, m);
                TensorPrimitives.Multiply(v, Beta2, v);
                TensorPrimitives.Multiply(gradient, gradient, gradient);
                TensorPrimitives.MultiplyAdd(gradient, 1 - Beta2, v, v);
                TensorPrimitives.Sqrt(v, step);
                TensorPrimitives.Add(step, Epsilon, step);
                TensorPrimitives.Divide(m, step, step);
                TensorPrimitives.MultiplyAdd(step, -correction, parameters, parameters);
            }

            if (tracker.Report(epoch, lossSum / n, parameters, cancellationToken))
            {
                return;
            }
        }
    }

    private static void Lbfgs(SoftmaxObjective objective, float[] parameters, TrainerOptions options, EarlyStopping tracker, CancellationToken cancellationToken)
    {
        var all = Enumerable.Range(0, objective.Count).ToArray();
        var scratch = new float[objective.Classes];
        var size = parameters.Length;
        var gradient = new float[size];
        var nextGradient = new float[size];
        var next = new float[size];
        var direction = new float[size];
        var history = new LinkedList<(float[] S, float[] Y, double Rho)>();
        var alphas = new double[options.LbfgsMemory];
        var loss = objective.Evaluate(parameters, gradient, all, scratch, cancellationToken);
        for (var iteration = 1; iteration <= options.Epochs; iteration++)
        {
            // Two-loop recursion: direction = -H·g, with H₀ = (s·y / y·y)·I from the newest pair.
            gradient.CopyTo(direction, 0);
            var k = 0;
            for (var node = history.Last; node is not null; node = node.Previous, k++)
            {
                var (s, y, rho) = node.Value;
                alphas[k] = rho * TensorPrimitives.Dot(s, direction);
                TensorPrimitives.MultiplyAdd(y, (float)-alphas[k], direction, direction);
            }

            if (history.Last is { } newest)
            {
                var (s, y, _) = newest.Value;
                TensorPrimitives.Multiply(direction, TensorPrimitives.Dot(s, y) / TensorPrimitives.Dot(y, y), direction);
            }
            else
            {
                // First step: unit length, so the line search starts from a sensible scale.
                TensorPrimitives.Multiply(direction, 1f / Math.Max(TensorPrimitives.Norm(direction), 1e-12f), direction);
            }

            for (var node = history.First; node is not null; node = node.Next)
            {
                k--;
                var (s, y, rho) = node.Value;
                var beta = rho * TensorPrimitives.Dot(y, direction);
                TensorPrimitives.MultiplyAdd(s, (float)(alphas[k] - beta), direction, direction);
            }

            TensorPrimitives.Negate(direction, direction);
            double slope = TensorPrimitives.Dot(gradient, direction);
            if (!(slope < 0))
            {
                history.Clear();
                TensorPrimitives.Negate(gradient, direction);
                slope = TensorPrimitives.Dot(gradient, direction);
            }

            if (slope > -1e-20)
            {
                tracker.Report(iteration, loss, parameters, cancellationToken);
                return;
            }

            var alpha = 1.0;
            var nextLoss = double.NaN;
            var accepted = false;
            for (var attempt = 0; attempt < MaxLineSearchSteps; attempt++)
            {
                TensorPrimitives.MultiplyAdd(direction, (float)alpha, parameters, next);
                nextLoss = objective.Evaluate(next, nextGradient, all, scratch, cancellationToken);
                if (nextLoss <= loss + ArmijoC1 * alpha * slope)
                {
                    accepted = true;
                    break;
                }

                alpha *= 0.5;
            }

            if (!accepted)
            {
                // No decrease along the search direction: converged as far as float precision allows.
                tracker.Report(iteration, loss, parameters, cancellationToken);
                return;
            }

            var sNew = new float[size];
            var yNew = new float[size];
            TensorPrimitives.Subtract(next, parameters, sNew);
            TensorPrimitives.Subtract(nextGradient, gradient, yNew);
            double sy = TensorPrimitives.Dot(sNew, yNew);
            if (sy > 1e-10)
            {
                history.AddLast((sNew, yNew, 1 / sy));
                if (history.Count > options.LbfgsMemory)
                {
                    history.RemoveFirst();
                }
            }

            (parameters, next) = (next, parameters);
            (gradient, nextGradient) = (nextGradient, gradient);
            loss = nextLoss;
            if (tracker.Report(iteration, loss, parameters, cancellationToken))
            {
                return;
            }
        }
    }
}
