using Parley.Nlu.Features;

namespace Parley.Nlu.Tests.Models;

/// <summary>Looks texts up in a table of fixed vectors, so model tests need no encoder.</summary>
internal sealed class TableFeaturizer(IReadOnlyDictionary<string, float[]> table, int dimensions, string kind = "table") : IFeaturizer
{
    public FeaturizerSettings Settings { get; } = new() { Kind = kind, HashBits = 7 };

    public int Dimensions => dimensions;

    public int Calls { get; private set; }

    public Task<float[][]> FeaturizeAsync(IReadOnlyList<string> texts, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        return Task.FromResult(texts.Select(t => table[t]).ToArray());
    }
}
