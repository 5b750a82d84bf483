namespace Parley.Nlu.Intents;

/// <summary>The out-of-scope label: utterances that belong to no intent.</summary>
public static class OutOfScope
{
    /// <summary>The label of out-of-scope examples and predictions: <c>oos</c> (as in CLINC150).</summary>
    public const string Label = "oos";
}
