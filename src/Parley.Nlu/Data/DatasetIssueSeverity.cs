namespace Parley.Nlu.Data;

/// <summary>How serious a <see cref="DatasetIssue"/> is.</summary>
public enum DatasetIssueSeverity
{
    /// <summary>The data cannot be used until it is fixed.</summary>
    Error,

    /// <summary>The data can be used, but something probably needs attention.</summary>
    Warning,
}
