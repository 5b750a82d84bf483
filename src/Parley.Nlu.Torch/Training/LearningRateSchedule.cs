namespace Parley.Nlu.Torch.Training;

/// <summary>Linear warmup from 0 to the peak over the first steps, then linear decay to 0 at the last step.</summary>
internal sealed record LearningRateSchedule(int TotalSteps, int WarmupSteps)
{
    public static LearningRateSchedule Create(int totalSteps, double warmupFraction) =>
        new(totalSteps, (int)Math.Ceiling(totalSteps * warmupFraction));

    /// <summary>The multiplier of the peak learning rate for the step numbered <paramref name="step"/> (from 0).</summary>
    public double Factor(int step) =>
        step < WarmupSteps
            ? (step + 1) / (double)WarmupSteps
            : Math.Max(0, (TotalSteps - step) / (double)Math.Max(1, TotalSteps - WarmupSteps));
}
