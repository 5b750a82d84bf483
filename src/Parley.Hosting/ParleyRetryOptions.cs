namespace Parley.Hosting;

/// <summary>How failed LLM calls are retried (section <c>Parley:Retry</c>).</summary>
public sealed class ParleyRetryOptions
{
    /// <summary>Attempts in all, the first included. Default 4.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The overall deadline of a call, retries and waits included, in seconds. Default 60.</summary>
    public double DeadlineSeconds { get; set; } = 60;
}
