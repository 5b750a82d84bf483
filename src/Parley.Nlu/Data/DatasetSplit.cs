namespace Parley.Nlu.Data;

/// <summary>The result of <see cref="DatasetSplitter.Split"/>: train, validation and test items, and how they were made.</summary>
public sealed class DatasetSplit
{
    /// <summary>Creates a split.</summary>
    public DatasetSplit(IReadOnlyList<DatasetItem> train, IReadOnlyList<DatasetItem> validation, IReadOnlyList<DatasetItem> test, double validationFraction, double testFraction, int seed)
    {
        Train = train;
        Validation = validation;
        Test = test;
        ValidationFraction = validationFraction;
        TestFraction = testFraction;
        Seed = seed;
    }

    /// <summary>The training items, in their original order.</summary>
    public IReadOnlyList<DatasetItem> Train { get; }

    /// <summary>The validation items, in their original order.</summary>
    public IReadOnlyList<DatasetItem> Validation { get; }

    /// <summary>The test items, in their original order.</summary>
    public IReadOnlyList<DatasetItem> Test { get; }

    /// <summary>The fraction asked for validation.</summary>
    public double ValidationFraction { get; }

    /// <summary>The fraction asked for test.</summary>
    public double TestFraction { get; }

    /// <summary>The seed of the shuffle.</summary>
    public int Seed { get; }

    /// <summary>The three parts as a dataset with splits <c>train</c>, <c>val</c> and <c>test</c> (for validation or hashing).</summary>
    /// <param name="path">The path to give the dataset.</param>
    public IntentDataset ToDataset(string path) => new(path, DatasetFormat.Csv,
    [
        new(DatasetSplitNames.Train, Train),
        new(DatasetSplitNames.Validation, Validation),
        new(DatasetSplitNames.Test, Test),
    ]);
}
