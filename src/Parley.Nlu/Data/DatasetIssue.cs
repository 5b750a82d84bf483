namespace Parley.Nlu.Data;

/// <summary>A problem found in a dataset, located by file and line.</summary>
/// <param name="Severity">Whether the data is refused (<see cref="DatasetIssueSeverity.Error"/>) or only questionable.</param>
/// <param name="File">The file the problem is in.</param>
/// <param name="Line">The 1-based line, or 0 when the problem is about the whole file.</param>
/// <param name="Field">The field or column concerned (<c>text</c>, <c>intent</c>), or null.</param>
/// <param name="Message">What is wrong, for a person to act on.</param>
public sealed record DatasetIssue(DatasetIssueSeverity Severity, string File, int Line, string? Field, string Message)
{
    /// <summary>The issue as <c>file:line: message</c> (or <c>file: message</c> when it has no line).</summary>
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}
