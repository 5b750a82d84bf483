using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Parley.Bots.Packs;

/// <summary>Reads fields of a YAML (or JSON) mapping, reporting errors with file, line and field.</summary>
internal sealed class YamlMap
{
    private readonly YamlMappingNode _node;
    private readonly string _path;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public YamlMap(string file, YamlNode node, string path)
    {
        File = file;
        _path = path;
        _node = node as YamlMappingNode ?? throw Error(node, $"'{(path.Length == 0 ? "document" : path)}' must be a mapping of keys to values");
    }

    public string File { get; }

    public int Line => (int)_node.Start.Line;

    public BotPackException Error(YamlNode node, string message) => new(File, (int)node.Start.Line, message);

    public YamlNode? Node(string key)
    {
        _read.Add(key);
        return _node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
    }

    public string Field(string key) => _path.Length == 0 ? key : $"{_path}.{key}";

    public string? String(string key, bool required = false)
    {
        var node = Node(key);
        if (node is null || IsNull(node))
        {
            return required ? throw new BotPackException(File, Line, $"missing required field '{Field(key)}'") : null;
        }

        if (node is not YamlScalarNode scalar)
        {
            throw Error(node, $"field '{Field(key)}' must be a text value");
        }

        var value = scalar.Value ?? "";
        if (required && string.IsNullOrWhiteSpace(value))
        {
            throw Error(node, $"field '{Field(key)}' must not be empty");
        }

        return value;
    }

    public double? Number(string key, double min, double max)
    {
        var node = Node(key);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlScalarNode { Value: { } text } || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(node, $"field '{Field(key)}' must be a number");
        }

        if (value < min || value > max)
        {
            throw Error(node, $"field '{Field(key)}' must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, not {text}");
        }

        return value;
    }

    public bool? Boolean(string key)
    {
        var node = Node(key);
        if (node is null || IsNull(node))
        {
            return null;
        }

        return node is YamlScalarNode { Value: { } text } && bool.TryParse(text, out var value)
            ? value
            : throw Error(node, $"field '{Field(key)}' must be true or false");
    }

    public YamlMap? Map(string key) => Node(key) is { } node && !IsNull(node) ? new YamlMap(File, node, Field(key)) : null;

    public IReadOnlyList<(string Value, YamlNode Node)> StringList(string key)
    {
        var node = Node(key);
        if (node is null || IsNull(node))
        {
            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            throw Error(node, $"field '{Field(key)}' must be a list");
        }

        var list = new List<(string, YamlNode)>();
        foreach (var item in sequence)
        {
            if (item is not YamlScalarNode { Value: { } text } || string.IsNullOrWhiteSpace(text))
            {
                throw Error(item, $"each item of '{Field(key)}' must be non-empty text");
            }

            list.Add((text.Trim(), item));
        }

        return list;
    }

    public YamlSequenceNode? Sequence(string key)
    {
        var node = Node(key);
        if (node is null || IsNull(node))
        {
            return null;
        }

        return node as YamlSequenceNode ?? throw Error(node, $"field '{Field(key)}' must be a list");
    }

    /// <summary>Fails on keys that were never read: a typo should not be silently ignored.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var (key, _) in _node.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "?";
            if (!_read.Contains(name))
            {
                throw Error(key, $"unknown field '{Field(name)}' (known: {string.Join(", ", _read.Order(StringComparer.Ordinal))})");
            }
        }
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted) } scalar
        && (scalar.Value is null or "" or "~" or "null");
}
