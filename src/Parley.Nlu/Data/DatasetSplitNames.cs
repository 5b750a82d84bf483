namespace Parley.Nlu.Data;

/// <summary>The names of dataset splits.</summary>
public static class DatasetSplitNames
{
    /// <summary>The single split of a file that is not divided (CSV, TSV, JSONL, Rasa YAML): <c>all</c>.</summary>
    public const string All = "all";

    /// <summary>The training split: <c>train</c>.</summary>
    public const string Train = "train";

    /// <summary>The validation split: <c>val</c>.</summary>
    public const string Validation = "val";

    /// <summary>The test split: <c>test</c>.</summary>
    public const string Test = "test";
}
