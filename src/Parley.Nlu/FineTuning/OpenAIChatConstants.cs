namespace Parley.Nlu.FineTuning;

/// <summary>The rules of OpenAI's chat-format fine-tuning data, as its data-preparation guidance states them.</summary>
public static class OpenAIChatConstants
{
    /// <summary>The roles a message may have: system, user, assistant, tool, function (legacy) and developer.</summary>
    public static readonly IReadOnlySet<string> AllowedRoles =
        new HashSet<string>(["system", "user", "assistant", "tool", "function", "developer"], StringComparer.Ordinal);

    /// <summary>The keys a message may have.</summary>
    public static readonly IReadOnlySet<string> AllowedMessageKeys =
        new HashSet<string>(["role", "content", "name", "function_call", "tool_calls", "tool_call_id", "weight", "refusal"], StringComparer.Ordinal);

    /// <summary>The tokens of one example that current models train on; longer examples are truncated: 65,536.</summary>
    public const int DefaultMaxTokensPerExample = 65_536;

    /// <summary>The fewest examples OpenAI accepts: 10.</summary>
    public const int MinExamples = 10;

    /// <summary>Below this many examples a warning says results are likely poor: 50.</summary>
    public const int RecommendedMinExamples = 50;

    /// <summary>The epochs OpenAI trains for when the example count needs no adjustment: 3.</summary>
    public const int TargetEpochs = 3;

    /// <summary>OpenAI raises the epochs until the model sees at least this many examples: 100.</summary>
    public const int MinTargetExamples = 100;

    /// <summary>OpenAI lowers the epochs until the model sees at most this many examples: 25,000.</summary>
    public const int MaxTargetExamples = 25_000;

    /// <summary>The fewest default epochs: 1.</summary>
    public const int MinDefaultEpochs = 1;

    /// <summary>The most default epochs: 25.</summary>
    public const int MaxDefaultEpochs = 25;

    /// <summary>
    /// The epochs OpenAI chooses when none are given: <see cref="TargetEpochs"/>, unless n×3 &lt; 100
    /// (then min(25, 100 // n)) or n×3 &gt; 25,000 (then max(1, 25,000 // n)).
    /// </summary>
    /// <param name="exampleCount">The number of training examples.</param>
    /// <returns>The epochs; <see cref="MaxDefaultEpochs"/> for an empty file.</returns>
    public static int DefaultEpochs(int exampleCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(exampleCount);
        if (exampleCount == 0)
        {
            return MaxDefaultEpochs;
        }

        var seen = (long)exampleCount * TargetEpochs;
        if (seen < MinTargetExamples)
        {
            return Math.Min(MaxDefaultEpochs, MinTargetExamples / exampleCount);
        }

        return seen > MaxTargetExamples ? Math.Max(MinDefaultEpochs, MaxTargetExamples / exampleCount) : TargetEpochs;
    }
}
