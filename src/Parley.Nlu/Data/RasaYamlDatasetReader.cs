using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Parley.Nlu.Data;

/// <summary>
/// Reads Rasa NLU YAML: <c>nlu:</c> → <c>- intent: name</c> → <c>examples: |</c> with one <c>- example</c> per line.
/// Entity annotations (<c>[Berlin](city)</c>, <c>[Berlin]{"entity": "city"}</c>) are reduced to their text; other
/// entries (synonyms, regexes, lookups) are skipped.
/// </summary>
internal static partial class RasaYamlDatasetReader
{
    public static bool LooksLikeRasa(string text) => NluKey().IsMatch(text);

    public static IntentDataset Read(string path, string text)
    {
        YamlNode? root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            throw new DatasetException(path, (int)e.Start.Line, $"not valid YAML: {e.InnerException?.Message ?? e.Message}", e);
        }

        if (root is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode("nlu"), out var nlu) || nlu is not YamlSequenceNode entries)
        {
            throw new DatasetException(path, 0, "no 'nlu:' list: a Rasa NLU file is 'nlu:' followed by '- intent: name' entries with 'examples: |'");
        }

        var items = new List<DatasetItem>();
        var errors = new List<DatasetIssue>();
        foreach (var entry in entries)
        {
            if (entry is not YamlMappingNode fields || !fields.Children.TryGetValue(new YamlScalarNode("intent"), out var intentNode))
            {
                continue;
            }

            var intent = (intentNode as YamlScalarNode)?.Value?.Trim() ?? "";
            if (!fields.Children.TryGetValue(new YamlScalarNode("examples"), out var examples))
            {
                errors.Add(new DatasetIssue(DatasetIssueSeverity.Error, path, (int)entry.Start.Line, "examples", $"intent '{intent}' has no 'examples:'"));
                continue;
            }

            switch (examples)
            {
                case YamlScalarNode block:
                    ReadBlock(path, intent, block, items, errors);
                    break;
                case YamlSequenceNode list:
                    foreach (var example in list)
                    {
                        var value = example is YamlScalarNode s ? s.Value : (example as YamlMappingNode)?.Children
                            .FirstOrDefault(c => c.Key is YamlScalarNode { Value: "text" }).Value is YamlScalarNode t ? t.Value : null;
                        items.Add(new DatasetItem(StripAnnotations(value ?? ""), intent, (int)example.Start.Line));
                    }

                    break;
                default:
                    errors.Add(new DatasetIssue(DatasetIssueSeverity.Error, path, (int)examples.Start.Line, "examples", "'examples' must be a block of '- example' lines"));
                    break;
            }
        }

        return new IntentDataset(path, DatasetFormat.RasaYaml, [new(DatasetSplitNames.All, items)], errors);
    }

    private static void ReadBlock(string path, string intent, YamlScalarNode block, List<DatasetItem> items, List<DatasetIssue> errors)
    {
        // A block scalar ('|') starts on the line of its indicator; its content starts on the next line.
        var literal = block.Style is ScalarStyle.Literal or ScalarStyle.Folded;
        var firstLine = (int)block.Start.Line + (literal ? 1 : 0);
        var lines = (block.Value ?? "").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var lineNumber = literal ? firstLine + i : firstLine;
            if (!line.StartsWith('-'))
            {
                errors.Add(new DatasetIssue(DatasetIssueSeverity.Error, path, lineNumber, "examples", $"expected '- example' in the examples of intent '{intent}', found \"{line}\""));
                continue;
            }

            items.Add(new DatasetItem(StripAnnotations(line[1..].Trim()), intent, lineNumber));
        }
    }

    /// <summary>Replaces <c>[text](entity)</c>, <c>[text]{…}</c> and <c>[text][…]</c> with <c>text</c>.</summary>
    internal static string StripAnnotations(string text) => Annotation().Replace(text, "$1").Trim();

    [GeneratedRegex(@"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\}|\[[^\]]*\])")]
    private static partial Regex Annotation();

    [GeneratedRegex(@"^nlu\s*:", RegexOptions.Multiline)]
    private static partial Regex NluKey();
}
