using System.Text.Json.Nodes;

namespace Parley.OpenAI.FineTuning;

/// <summary>How both models answered one test example.</summary>
/// <param name="Line">The line of the data file.</param>
/// <param name="Prompt">The last user message of the prompt.</param>
/// <param name="Expected">The expected answer.</param>
/// <param name="BaseAnswer">The base model's answer.</param>
/// <param name="TunedAnswer">The fine-tuned model's answer.</param>
public sealed record ComparisonItem(int Line, string Prompt, string Expected, string BaseAnswer, string TunedAnswer)
{
    /// <summary>Whether the base model's answer matches the expected one (see <see cref="AnswerMatcher"/>).</summary>
    public bool BaseCorrect => AnswerMatcher.Matches(BaseAnswer, Expected);

    /// <summary>Whether the fine-tuned model's answer matches the expected one.</summary>
    public bool TunedCorrect => AnswerMatcher.Matches(TunedAnswer, Expected);

    /// <summary>Whether the two models' answers differ (after normalising).</summary>
    public bool Differ => !AnswerMatcher.Matches(BaseAnswer, TunedAnswer);

    /// <summary>The item as snake_case JSON.</summary>
    public JsonObject ToJson() => new()
    {
        ["line"] = Line,
        ["prompt"] = Prompt,
        ["expected"] = Expected,
        ["base_answer"] = BaseAnswer,
        ["tuned_answer"] = TunedAnswer,
        ["base_correct"] = BaseCorrect,
        ["tuned_correct"] = TunedCorrect,
    };
}
