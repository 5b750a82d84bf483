using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

using Parley.Nlu.Embeddings;
using Parley.Nlu.Features;
using Parley.Nlu.Training;

namespace Parley.Bots.Packs;

/// <summary>Loads and validates a bot pack folder. See <c>docs/bot-packs.md</c> for the format.</summary>
public static partial class BotPackLoader
{
    /// <summary>The manifest file names, in the order they are looked for.</summary>
    public static readonly IReadOnlyList<string> ManifestNames = ["bot.yaml", "bot.yml", "bot.json"];

    private static readonly string[] IntentExtensions = [".yaml", ".yml", ".json"];

    /// <summary>Loads the pack in <paramref name="folder"/>.</summary>
    /// <exception cref="BotPackException">The pack is missing or invalid; the message names the file, line and field.</exception>
    public static async Task<BotPack> LoadAsync(string folder, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
        {
            throw new BotPackException(root, 0, "bot folder not found");
        }

        var manifestPath = ManifestNames.Select(n => Path.Combine(root, n)).FirstOrDefault(File.Exists)
            ?? throw new BotPackException(root, 0, $"no manifest: expected one of {string.Join(", ", ManifestNames)}");
        var manifest = ReadManifest(manifestPath, await ReadDocumentAsync(manifestPath, cancellationToken).ConfigureAwait(false));

        var intents = new List<IntentDefinition>();
        var intentsFolder = Path.Combine(root, manifest.IntentsFolder);
        if (Directory.Exists(intentsFolder))
        {
            var files = Directory.EnumerateFiles(intentsFolder)
                .Where(f => IntentExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                var document = await ReadDocumentAsync(file, cancellationToken).ConfigureAwait(false);
                intents.AddRange(ReadIntents(file, document));
            }
        }

        Validate(root, manifest, intents, manifestPath);
        return new BotPack(root, manifest, intents);
    }

    private static async Task<YamlNode?> ReadDocumentAsync(string file, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
        var format = file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "JSON" : "YAML";
        var parser = new TrackingParser(new Parser(new StringReader(text)));
        try
        {
            var stream = new YamlStream();
            stream.Load(parser);
            return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            var reason = e.InnerException?.Message ?? e.Message;
            throw new BotPackException(file, (int)e.Start.Line, $"not valid {format}: {reason}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet fails this way on some unterminated flow collections; the last event read tells where.
            throw new BotPackException(file, parser.LastLine, $"not valid {format}: unexpected content after this point (an unclosed '[', '{{' or quote?)", e);
        }
    }

    /// <summary>Remembers where the last parsed event ended, for errors the YAML library reports without a position.</summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        public int LastLine { get; private set; } = 1;

        public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            if (inner.Current is { } current)
            {
                LastLine = (int)current.End.Line;
            }

            return moved;
        }
    }

    private static BotManifest ReadManifest(string file, YamlNode? root)
    {
        if (root is null)
        {
            throw new BotPackException(file, 0, "the manifest is empty: it needs at least 'name'");
        }

        var map = new YamlMap(file, root, "");
        var name = map.String("name", required: true)!;
        if (!NameRegex().IsMatch(name))
        {
            throw map.Error(map.Node("name")!, $"field 'name' must be lowercase letters, digits, '-' or '_' (got '{name}')");
        }

        var language = map.String("language") ?? BotLanguages.English;
        if (!BotLanguages.All.Contains(language, StringComparer.Ordinal))
        {
            throw map.Error(map.Node("language")!, $"field 'language' must be one of {string.Join(", ", BotLanguages.All)} (got '{language}')");
        }

        var messages = BotMessages.For(language);
        var encoderName = map.String("knowledge_encoder");
        var encoder = encoderName is null ? SentenceEncoderModel.MiniLm : SentenceEncoderModel.Find(encoderName)
            ?? throw map.Error(map.Node("knowledge_encoder")!, $"field 'knowledge_encoder' must be one of {string.Join(", ", SentenceEncoderModel.All.Select(m => m.Name))} (got '{encoderName}')");
        var method = map.String("method") ?? TrainingMethods.Auto;
        if (!TrainingMethods.All.Contains(method, StringComparer.Ordinal))
        {
            throw map.Error(map.Node("method")!, $"field 'method' must be one of {string.Join(", ", TrainingMethods.All)} (got '{method}')");
        }

        var model = map.Map("model");
        var thresholds = map.Map("thresholds");
        var manifest = new BotManifest
        {
            Name = name,
            Language = language,
            DisplayName = map.String("display_name"),
            Description = map.String("description"),
            Persona = map.String("persona")?.Trim() is { Length: > 0 } persona ? persona : messages.DefaultPersona,
            Fallback = map.String("fallback")?.Trim() is { Length: > 0 } fallback ? fallback : messages.DefaultFallback,
            IntentsFolder = map.String("intents") ?? "intents",
            KnowledgeFolder = map.String("knowledge") ?? "knowledge",
            KnowledgeEncoder = encoder,
            Method = method,
            MethodLocation = map.Node("method") is { } methodNode ? $"{file}:{methodNode.Start.Line}" : null,
            TimeZone = map.String("time_zone"),
            Tools = ToolManifestReader.ReadTools(map),
            McpServers = McpManifestReader.ReadServers(map),
            Entities = ToolManifestReader.ReadEntities(map),
            Rules = RuleManifestReader.Read(map),
            Handoff = HandoffManifestReader.Read(map),
            Model = model is null ? new ModelSettings() : new ModelSettings
            {
                Id = model.String("id"),
                Temperature = (float?)model.Number("temperature", 0, 2),
                MaxOutputTokens = (int)(model.Number("max_output_tokens", 1, 1_000_000) ?? 800),
                ContextWindow = (int?)model.Number("context_window", 256, 100_000_000),
            },
            Thresholds = thresholds is null ? new BotThresholds() : new BotThresholds
            {
                Intent = thresholds.Number("intent", -1, 1),
                Knowledge = thresholds.Number("knowledge", -1, 1) ?? 0.45,
            },
        };

        model?.RejectUnknownKeys();
        thresholds?.RejectUnknownKeys();
        map.RejectUnknownKeys();
        return manifest;
    }

    private static IEnumerable<IntentDefinition> ReadIntents(string file, YamlNode? root)
    {
        if (root is null)
        {
            yield break;
        }

        var map = new YamlMap(file, root, "");
        var sequence = map.Sequence("intents") ?? throw new BotPackException(file, map.Line, "missing required field 'intents' (a list of intents)");
        map.RejectUnknownKeys();
        var index = 0;
        foreach (var node in sequence)
        {
            var item = new YamlMap(file, node, $"intents[{index++}]");
            var name = item.String("name", required: true)!;
            if (!NameRegex().IsMatch(name))
            {
                throw item.Error(item.Node("name")!, $"intent name must be lowercase letters, digits, '-' or '_' (got '{name}')");
            }

            var examples = item.StringList("examples");
            if (examples.Count == 0)
            {
                throw new BotPackException(file, item.Line, $"intent '{name}' has no examples: give at least one under 'examples'");
            }

            var intent = new IntentDefinition
            {
                Name = name,
                Description = item.String("description"),
                Examples = examples.Select(e => e.Value).ToArray(),
                Response = item.String("response")?.Trim() is { Length: > 0 } response ? response : null,
                Source = item.String("source"),
                Threshold = item.Number("threshold", -1, 1),
                Tool = item.String("tool"),
                Slots = ToolManifestReader.ReadSlots(item),
                Location = $"{file}:{item.Line}",
            };
            item.RejectUnknownKeys();
            yield return intent;
        }
    }

    private static void Validate(string root, BotManifest manifest, IReadOnlyList<IntentDefinition> intents, string manifestPath)
    {
        var knowledgePath = Path.Combine(root, manifest.KnowledgeFolder);
        var seen = new Dictionary<string, IntentDefinition>(StringComparer.Ordinal);
        var examples = new Dictionary<string, IntentDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var intent in intents)
        {
            var (file, line) = SplitLocation(intent.Location);
            if (!seen.TryAdd(intent.Name, intent))
            {
                throw new BotPackException(file, line, $"intent '{intent.Name}' is defined twice (first at {seen[intent.Name].Location})");
            }

            foreach (var example in intent.Examples)
            {
                if (examples.TryGetValue(example, out var other) && other.Name != intent.Name)
                {
                    throw new BotPackException(file, line, $"example \"{example}\" of intent '{intent.Name}' is also an example of '{other.Name}' ({other.Location}): an utterance can have only one intent");
                }

                examples[example] = intent;
            }

            if (intent.Source is { } source && !File.Exists(Path.Combine(knowledgePath, source)))
            {
                throw new BotPackException(file, line, $"intent '{intent.Name}' cites source '{source}', which is not in the knowledge folder {Path.GetFullPath(knowledgePath)}");
            }
        }

        if (TrainingMethods.FineTunesEncoder(manifest.Method)
            && FeatureSelection.Resolve(new FeaturizerSettings { Kind = FeaturizerSettings.Auto }, intents.SelectMany(i => i.Examples)).Settings.Kind is var features
            && features != FeaturizerSettings.Embeddings)
        {
            var (file, line) = SplitLocation(manifest.MethodLocation ?? manifestPath);
            throw new BotPackException(file, line,
                $"method '{manifest.Method}' fine-tunes the sentence encoder, but this pack's examples are not mostly in Latin letters, so its intents use {features} features, which have no encoder: use method 'head' or 'auto'");
        }

        ToolManifestReader.Validate(root, manifest, intents, manifestPath);
        RuleManifestReader.Validate(manifest.Rules, intents);
        HandoffManifestReader.Validate(manifest.Handoff, intents);
        if (!Directory.Exists(Path.Combine(root, manifest.IntentsFolder)) && manifest.IntentsFolder != "intents")
        {
            throw new BotPackException(manifestPath, 0, $"intents folder '{manifest.IntentsFolder}' not found");
        }
    }

    private static (string File, int Line) SplitLocation(string location)
    {
        var colon = location.LastIndexOf(':');
        return colon > 0 && int.TryParse(location[(colon + 1)..], out var line) ? (location[..colon], line) : (location, 0);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex NameRegex();
}
