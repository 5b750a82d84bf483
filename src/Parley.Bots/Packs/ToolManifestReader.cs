using System.Text.RegularExpressions;
using Parley.Tools;
using YamlDotNet.RepresentationModel;

namespace Parley.Bots.Packs;

/// <summary>Reads and checks the tool parts of a pack: <c>tools</c>, <c>entities</c>, <c>time_zone</c>, and intents' <c>tool</c> and <c>slots</c>.</summary>
internal static class ToolManifestReader
{
    public static IReadOnlyList<ToolDeclaration> ReadTools(YamlMap manifest)
    {
        var sequence = manifest.Sequence("tools");
        if (sequence is null)
        {
            return [];
        }

        var tools = new List<ToolDeclaration>();
        var index = 0;
        foreach (var node in sequence)
        {
            var field = $"tools[{index++}]";
            ToolDeclaration tool;
            if (node is YamlScalarNode { Value: { } name })
            {
                tool = new ToolDeclaration { Name = name.Trim(), Location = $"{manifest.File}:{node.Start.Line}" };
            }
            else
            {
                var map = new YamlMap(manifest.File, node, field);
                tool = new ToolDeclaration
                {
                    Name = map.String("name", required: true)!.Trim(),
                    RequireApproval = map.Boolean("approval"),
                    ForecastUrl = Url(map, "forecast_url"),
                    GeocodingUrl = Url(map, "geocoding_url"),
                    Orders = map.String("orders"),
                    Location = $"{manifest.File}:{map.Line}",
                };
                map.RejectUnknownKeys();
            }

            if (!BuiltInTools.Names.Contains(tool.Name))
            {
                throw manifest.Error(node, $"'{field}' names the tool '{tool.Name}', which Parley does not have (known: {string.Join(", ", BuiltInTools.Names)})");
            }

            if (tools.Any(t => t.Name == tool.Name))
            {
                throw manifest.Error(node, $"the tool '{tool.Name}' is declared twice in 'tools'");
            }

            if (tool.Name == BuiltInTools.OrderStatus && tool.Orders is null)
            {
                throw manifest.Error(node, $"'{field}': the order_status tool needs 'orders', the order book file relative to the pack (a JSON array of orders)");
            }

            tools.Add(tool);
        }

        return tools;
    }

    public static IReadOnlyList<EntityDefinition> ReadEntities(YamlMap manifest)
    {
        if (manifest.Node("entities") is not YamlMappingNode map)
        {
            return [];
        }

        var entities = new List<EntityDefinition>();
        foreach (var (key, value) in map.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (SlotDefinition.BuiltInEntities.Contains(name))
            {
                throw manifest.Error(key, $"entity '{name}' is built in and cannot be redefined");
            }

            if (value is YamlSequenceNode list)
            {
                var values = list.OfType<YamlScalarNode>().Select(v => v.Value?.Trim()).Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToArray();
                if (values.Length == 0)
                {
                    throw manifest.Error(value, $"entity '{name}' has no values");
                }

                entities.Add(new EntityDefinition { Name = name, Values = values });
            }
            else if (value is YamlScalarNode { Value: { } pattern })
            {
                try
                {
                    entities.Add(new EntityDefinition { Name = name, Pattern = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)) });
                }
                catch (ArgumentException e)
                {
                    throw manifest.Error(value, $"entity '{name}' is not a valid regular expression: {e.Message}");
                }
            }
            else
            {
                throw manifest.Error(value, $"entity '{name}' must be a list of values (a gazetteer) or a regular expression");
            }
        }

        return entities;
    }

    public static IReadOnlyList<SlotDefinition> ReadSlots(YamlMap intent)
    {
        var sequence = intent.Sequence("slots");
        if (sequence is null)
        {
            return [];
        }

        var slots = new List<SlotDefinition>();
        var index = 0;
        foreach (var node in sequence)
        {
            var map = new YamlMap(intent.File, node, intent.Field($"slots[{index++}]"));
            slots.Add(new SlotDefinition
            {
                Name = map.String("name", required: true)!,
                Entity = map.String("entity", required: true)!,
                Prompt = map.String("prompt", required: true)!.Trim(),
                Required = map.Boolean("required") ?? true,
            });
            map.RejectUnknownKeys();
        }

        return slots;
    }

    public static void Validate(string root, BotManifest manifest, IReadOnlyList<IntentDefinition> intents, string manifestPath)
    {
        if (manifest.TimeZone is { } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            throw new BotPackException(manifestPath, 0, $"field 'time_zone' names '{zone}', which is not a time zone this machine knows (use an IANA id such as Europe/Berlin)");
        }

        foreach (var tool in manifest.Tools.Where(t => t.Orders is not null))
        {
            if (!File.Exists(Path.Combine(root, tool.Orders!)))
            {
                var (file, line) = SplitLocation(tool.Location);
                throw new BotPackException(file, line, $"the order book '{tool.Orders}' of tool '{tool.Name}' is not in the pack ({Path.Combine(root, tool.Orders!)})");
            }
        }

        var entities = manifest.Entities.Select(e => e.Name).Concat(SlotDefinition.BuiltInEntities).ToHashSet(StringComparer.Ordinal);
        foreach (var intent in intents)
        {
            var (file, line) = SplitLocation(intent.Location);
            if (intent.Tool is null)
            {
                if (intent.Slots.Count > 0)
                {
                    throw new BotPackException(file, line, $"intent '{intent.Name}' has slots but no 'tool' to fill them for");
                }

                continue;
            }

            // A tool not in 'tools' may come from an MCP server: that is checked once the servers are reached.
            if (manifest.Tools.All(t => t.Name != intent.Tool) && manifest.McpServers.Count == 0)
            {
                throw new BotPackException(file, line, $"intent '{intent.Name}' runs tool '{intent.Tool}', which is not in the manifest's 'tools' list ({manifestPath})");
            }

            if (intent.Response is not null)
            {
                throw new BotPackException(file, line, $"intent '{intent.Name}' has both a 'tool' and a 'response': the tool's result is the answer, so remove one");
            }

            foreach (var slot in intent.Slots.Where(s => !entities.Contains(s.Entity)))
            {
                throw new BotPackException(file, line, $"slot '{slot.Name}' of intent '{intent.Name}' uses entity '{slot.Entity}', which is neither built in ({string.Join(", ", SlotDefinition.BuiltInEntities)}) nor in the manifest's 'entities'");
            }
        }
    }

    private static Uri? Url(YamlMap map, string key)
    {
        if (map.String(key) is not { } text)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw map.Error(map.Node(key)!, $"field '{map.Field(key)}' must be an absolute http or https URL (got '{text}')");
    }

    /// <summary>A declaration's <c>file:line</c> location, split for a <see cref="BotPackException"/>.</summary>
    public static (string File, int Line) SplitLocation(string location)
    {
        var colon = location.LastIndexOf(':');
        return colon > 0 && int.TryParse(location[(colon + 1)..], out var line) ? (location[..colon], line) : (location, 0);
    }
}
