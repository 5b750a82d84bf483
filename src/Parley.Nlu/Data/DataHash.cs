using System.Security.Cryptography;
using System.Text;

namespace Parley.Nlu.Data;

/// <summary>
/// A stable fingerprint of labelled data for run tracking: SHA-256 over the items (split, intent and text, Unicode-
/// and whitespace-normalized), sorted, so the order of lines and the file format do not change it.
/// </summary>
public static class DataHash
{
    /// <summary>The prefix of every hash: <c>sha256:</c>.</summary>
    public const string Prefix = "sha256:";

    /// <summary>The hash of all splits of <paramref name="dataset"/>.</summary>
    public static string Compute(IntentDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Compute(dataset.Splits.SelectMany(split => split.Value.Select(item => Key(split.Key, item))));
    }

    /// <summary>The hash of <paramref name="items"/>, taken as one split.</summary>
    public static string Compute(IEnumerable<DatasetItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return Compute(items.Select(item => Key(DatasetSplitNames.All, item)));
    }

    private static string Key(string split, DatasetItem item) =>
        $"{split}\u001f{TextNormalizer.Canonical(item.Intent)}\u001f{TextNormalizer.Canonical(item.Text)}\n";

    private static string Compute(IEnumerable<string> keys)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var key in keys.Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(key));
        }

        return Prefix + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
