using System.Globalization;

namespace Parley.Nlu.Data;

/// <summary>
/// Checks a dataset before it is used. Errors: no examples at all, lines that could not be read, empty text, a missing
/// label, and the same text (ignoring case and spacing) with different labels. Warnings: intents with few examples, heavy imbalance,
/// duplicates within a split, and exact or near duplicates across splits (leakage).
/// </summary>
public static class DatasetValidator
{
    /// <summary>Validates <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="options">The thresholds; null for the defaults.</param>
    /// <returns>Every error and warning, each in file and line order.</returns>
    public static DatasetReport Validate(IntentDataset dataset, ValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new ValidationOptions();
        var file = dataset.Path;
        var errors = new List<DatasetIssue>(dataset.ReadErrors);
        var warnings = new List<DatasetIssue>();
        var multipleSplits = dataset.Splits.Count > 1;

        var labelOf = new Dictionary<string, (string Intent, int Line, string Split)>(StringComparer.Ordinal);
        var nearSeen = new Dictionary<string, (string Split, int Line, string Canonical)>(StringComparer.Ordinal);
        foreach (var (split, items) in dataset.Splits)
        {
            var where = multipleSplits ? $" in '{split}'" : "";
            var exactInSplit = new Dictionary<string, int>(StringComparer.Ordinal);
            var nearInSplit = new Dictionary<string, (int Line, string Canonical)>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                var emptyText = string.IsNullOrWhiteSpace(item.Text);
                if (emptyText)
                {
                    errors.Add(Error(file, item.Line, "text", "empty text: every example needs an utterance"));
                }

                if (string.IsNullOrWhiteSpace(item.Intent))
                {
                    errors.Add(Error(file, item.Line, "intent", $"missing label: \"{Shorten(item.Text)}\" has no intent"));
                }

                if (emptyText)
                {
                    continue;
                }

                if (!string.IsNullOrWhiteSpace(item.Intent))
                {
                    var folded = TextNormalizer.CaseFolded(item.Text);
                    if (!labelOf.TryGetValue(folded, out var first))
                    {
                        labelOf[folded] = (item.Intent, item.Line, split);
                    }
                    else if (!string.Equals(first.Intent, item.Intent, StringComparison.Ordinal))
                    {
                        var firstWhere = multipleSplits ? $" in '{first.Split}'" : "";
                        (options.ConflictingLabels == DatasetIssueSeverity.Error ? errors : warnings).Add(new(options.ConflictingLabels, file, item.Line, "intent",
                            $"conflicting labels: \"{Shorten(item.Text)}\" is '{item.Intent}' here but '{first.Intent}' at line {first.Line}{firstWhere}; give it one intent"));
                    }
                }

                var canonical = TextNormalizer.Canonical(item.Text);
                if (exactInSplit.TryGetValue(canonical, out var duplicateLine))
                {
                    warnings.Add(Warning(file, item.Line, "text", $"duplicate{where}: \"{Shorten(item.Text)}\" already at line {duplicateLine}"));
                }
                else
                {
                    exactInSplit[canonical] = item.Line;
                }

                var near = TextNormalizer.Near(item.Text);
                nearInSplit.TryAdd(near, (item.Line, canonical));
                if (nearSeen.TryGetValue(near, out var other) && other.Split != split)
                {
                    var kind = other.Canonical == canonical ? "an exact" : "a near";
                    warnings.Add(Warning(file, item.Line, "text",
                        $"leakage: \"{Shorten(item.Text)}\" in '{split}' is {kind} duplicate of line {other.Line} in '{other.Split}'"));
                }
            }

            foreach (var (near, first) in nearInSplit)
            {
                nearSeen.TryAdd(near, (split, first.Line, first.Canonical));
            }
        }

        if (dataset.Count == 0 && errors.Count == 0)
        {
            errors.Add(new(DatasetIssueSeverity.Error, file, 0, null, "no examples: the file has no data rows (only a header, or nothing but blank lines); add utterances with their intents"));
        }

        AddClassWarnings(dataset, options, warnings);
        return new DatasetReport(Sorted(errors), Sorted(warnings));
    }

    private static void AddClassWarnings(IntentDataset dataset, ValidationOptions options, List<DatasetIssue> warnings)
    {
        var counts = dataset.AllItems
            .Where(i => !string.IsNullOrWhiteSpace(i.Intent) && !string.IsNullOrWhiteSpace(i.Text))
            .GroupBy(i => i.Intent, StringComparer.Ordinal)
            .Select(g => (Intent: g.Key, Count: g.Count(), Line: g.First().Line))
            .OrderBy(g => g.Intent, StringComparer.Ordinal)
            .ToList();
        foreach (var (intent, count, line) in counts.Where(c => c.Count < options.MinExamplesPerIntent))
        {
            warnings.Add(Warning(dataset.Path, line, "intent",
                $"intent '{intent}' has only {count} example{(count == 1 ? "" : "s")} (at least {options.MinExamplesPerIntent} recommended)"));
        }

        if (counts.Count >= 2)
        {
            var largest = counts.MaxBy(c => c.Count);
            var smallest = counts.MinBy(c => c.Count);
            var ratio = (double)largest.Count / smallest.Count;
            if (ratio > options.MaxImbalanceRatio)
            {
                warnings.Add(Warning(dataset.Path, 0, "intent", string.Create(CultureInfo.InvariantCulture,
                    $"imbalanced intents: '{largest.Intent}' has {largest.Count} examples, '{smallest.Intent}' {smallest.Count} ({ratio:0.#}x, more than {options.MaxImbalanceRatio:0.#}x)")));
            }
        }
    }

    private static List<DatasetIssue> Sorted(List<DatasetIssue> issues) =>
        [.. issues.OrderBy(i => i.File, StringComparer.Ordinal).ThenBy(i => i.Line)];

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    private static DatasetIssue Error(string file, int line, string field, string message) =>
        new(DatasetIssueSeverity.Error, file, line, field, message);

    private static DatasetIssue Warning(string file, int line, string field, string message) =>
        new(DatasetIssueSeverity.Warning, file, line, field, message);
}
