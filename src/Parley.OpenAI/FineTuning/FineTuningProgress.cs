namespace Parley.OpenAI.FineTuning;

/// <summary>What changed in a followed job since the previous poll.</summary>
/// <param name="Job">The job as it is now.</param>
/// <param name="NewEvents">Events not reported before, oldest first.</param>
/// <param name="StatusChanged">Whether <see cref="FineTuningJobInfo.Status"/> differs from the previous poll (always true on the first).</param>
public sealed record FineTuningProgress(FineTuningJobInfo Job, IReadOnlyList<FineTuningEventInfo> NewEvents, bool StatusChanged);
