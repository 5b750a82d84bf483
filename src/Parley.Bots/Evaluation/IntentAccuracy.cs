namespace Parley.Bots.Evaluation;

/// <summary>How many intent checks of one intent were routed right.</summary>
/// <param name="Intent">The expected intent; <see cref="OutOfScope"/> for messages that belong to none.</param>
/// <param name="Total">The checks expecting it.</param>
/// <param name="Correct">Those routed to it.</param>
public sealed record IntentAccuracy(string Intent, int Total, int Correct)
{
    /// <summary>The name under which out-of-scope checks are counted.</summary>
    public const string OutOfScope = "(out of scope)";

    /// <summary>The share routed right, 0 to 1.</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;
}
