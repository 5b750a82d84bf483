namespace Parley.Bots.Evaluation;

/// <summary>The result of one check of a pack's eval files.</summary>
/// <param name="Kind">One of <see cref="EvalCheckKinds"/>.</param>
/// <param name="File">The eval file's name.</param>
/// <param name="Line">The check's line in the file.</param>
/// <param name="Input">The message, question or reply checked.</param>
/// <param name="Expected">What was expected, in words.</param>
/// <param name="Actual">What happened, in words.</param>
/// <param name="Passed">Whether the check passed.</param>
public sealed record EvalCheckResult(string Kind, string File, int Line, string Input, string Expected, string Actual, bool Passed);
