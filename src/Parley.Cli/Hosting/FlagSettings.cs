using Microsoft.Extensions.Configuration;

namespace Parley.Cli.Hosting;

/// <summary>
/// Settings given as flags: the last configuration source, so flags win. A list flag (<c>--api-key</c> repeated)
/// replaces the configured list rather than overwriting it item by item.
/// </summary>
internal sealed class FlagSettings : IConfigurationSource
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _lists = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Sets <paramref name="key"/> when the flag was given (<paramref name="value"/> not null).</summary>
    public FlagSettings Set(string key, object? value)
    {
        if (value is not null)
        {
            _values[key] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
        }

        return this;
    }

    /// <summary>Replaces the list <paramref name="key"/> when the flag was given at least once.</summary>
    public FlagSettings SetList(string key, IReadOnlyList<string>? values)
    {
        if (values is { Count: > 0 })
        {
            _lists.Add(key);
            for (var i = 0; i < values.Count; i++)
            {
                _values[$"{key}:{i}"] = values[i];
            }
        }

        return this;
    }

    /// <inheritdoc />
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(_values, _lists);

    private sealed class Provider : ConfigurationProvider
    {
        private readonly HashSet<string> _lists;

        public Provider(Dictionary<string, string?> values, HashSet<string> lists)
        {
            _lists = lists;
            foreach (var (key, value) in values)
            {
                Data[key] = value;
            }
        }

        public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath) =>
            parentPath is not null && _lists.Contains(parentPath)
                ? base.GetChildKeys([], parentPath)
                : base.GetChildKeys(earlierKeys, parentPath);
    }
}
