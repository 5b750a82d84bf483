namespace Parley.Nlu.Data;

/// <summary>The result of <see cref="DatasetValidator.Validate"/>: errors that make the data unusable, and warnings.</summary>
public sealed class DatasetReport
{
    /// <summary>Creates a report.</summary>
    /// <param name="errors">The errors, in file and line order.</param>
    /// <param name="warnings">The warnings, in file and line order.</param>
    public DatasetReport(IReadOnlyList<DatasetIssue> errors, IReadOnlyList<DatasetIssue> warnings)
    {
        Errors = errors;
        Warnings = warnings;
    }

    /// <summary>Problems that make the data unusable: callers refuse the data and list every one.</summary>
    public IReadOnlyList<DatasetIssue> Errors { get; }

    /// <summary>Problems worth a look that do not stop the data from being used.</summary>
    public IReadOnlyList<DatasetIssue> Warnings { get; }

    /// <summary>Whether there is at least one error.</summary>
    public bool HasErrors => Errors.Count > 0;
}
