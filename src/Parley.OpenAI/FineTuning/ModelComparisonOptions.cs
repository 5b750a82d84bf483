namespace Parley.OpenAI.FineTuning;

/// <summary>How <see cref="ModelComparisonRunner"/> runs.</summary>
public sealed class ModelComparisonOptions
{
    /// <summary>Requests in flight at once, over both models. Default 4; at least 1.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>How many differing answers the result keeps as a sample. Default 20; at least 0.</summary>
    public int SampleSize { get; set; } = 20;

    /// <summary>The sampling temperature of every request. Default 0, for repeatable answers.</summary>
    public float Temperature { get; set; }

    /// <summary>Checks the values and throws an <see cref="ArgumentException"/> naming the first wrong one.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (MaxConcurrency < 1)
        {
            throw new ArgumentException($"MaxConcurrency must be at least 1; it is {MaxConcurrency}.", nameof(MaxConcurrency));
        }

        if (SampleSize < 0)
        {
            throw new ArgumentException($"SampleSize must be at least 0; it is {SampleSize}.", nameof(SampleSize));
        }

        if (!float.IsFinite(Temperature) || Temperature < 0)
        {
            throw new ArgumentException($"Temperature must be 0 or more; it is {Temperature}.", nameof(Temperature));
        }
    }
}
