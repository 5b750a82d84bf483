namespace Parley.Nlu.FineTuning;

/// <summary>How a per-example quantity is spread: the figures OpenAI's data-preparation notebook prints.</summary>
/// <param name="Count">The number of values.</param>
/// <param name="Min">The smallest.</param>
/// <param name="Max">The largest.</param>
/// <param name="Mean">The mean.</param>
/// <param name="Median">The median.</param>
/// <param name="P10">The 10th percentile (linear interpolation, as numpy's <c>quantile</c>).</param>
/// <param name="P90">The 90th percentile (linear interpolation).</param>
public sealed record ValueDistribution(int Count, double Min, double Max, double Mean, double Median, double P10, double P90)
{
    /// <summary>The distribution of no values: all zero.</summary>
    public static ValueDistribution Empty { get; } = new(0, 0, 0, 0, 0, 0, 0);

    /// <summary>Computes the distribution of <paramref name="values"/>.</summary>
    public static ValueDistribution Create(IEnumerable<int> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return Empty;
        }

        return new ValueDistribution(
            sorted.Length, sorted[0], sorted[^1], sorted.Average(x => (double)x),
            Quantile(sorted, 0.5), Quantile(sorted, 0.1), Quantile(sorted, 0.9));
    }

    private static double Quantile(int[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }
}
