using Microsoft.Extensions.AI;

namespace Parley.OpenAI.FineTuning;

/// <summary>One test example of a model comparison: what the models are asked, and the answer expected.</summary>
/// <param name="Line">The line of the data file it came from (1-based).</param>
/// <param name="Prompt">The conversation so far: every message before the expected answer.</param>
/// <param name="Expected">The expected answer: the last assistant message (chat data) or the label (intent data).</param>
public sealed record ComparisonExample(int Line, IReadOnlyList<ChatMessage> Prompt, string Expected)
{
    /// <summary>The text of the last user message of <see cref="Prompt"/>, for showing the example.</summary>
    public string LastUserText => Prompt.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
}
