namespace Parley.Bots.Evaluation;

/// <summary>The kinds of checks in a pack's <c>eval</c> folder, as reported in <see cref="EvalCheckResult.Kind"/>.</summary>
public static class EvalCheckKinds
{
    /// <summary><c>intent-checks.jsonl</c> and <c>out-of-scope.jsonl</c>: a message and the intent it is (null: none).</summary>
    public const string Intent = "intent";

    /// <summary><c>knowledge-checks.jsonl</c>: a question and the documents that answer it (one of them in the top 3).</summary>
    public const string Knowledge = "knowledge";

    /// <summary><c>rule-checks.jsonl</c> and <c>adversarial.jsonl</c>: a message or a reply and the rule that must (or, null, must not) fire.</summary>
    public const string Rule = "rule";

    /// <summary><c>conversation*.jsonl</c>: one turn of a scripted conversation and what its reply must be.</summary>
    public const string Conversation = "conversation";
}
