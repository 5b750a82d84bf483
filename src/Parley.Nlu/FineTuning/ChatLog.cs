using Parley.Nlu.Data;

namespace Parley.Nlu.FineTuning;

/// <summary>Conversations read from a chat log, with the lines that could not be read.</summary>
/// <param name="Path">The file.</param>
/// <param name="Format">The format it was read as.</param>
/// <param name="Examples">One example per conversation, with the line it starts on.</param>
/// <param name="Errors">Lines that could not be read, as <c>file:line</c> errors.</param>
public sealed record ChatLog(string Path, DatasetFormat Format, IReadOnlyList<ChatFineTuningExample> Examples, IReadOnlyList<DatasetIssue> Errors);
