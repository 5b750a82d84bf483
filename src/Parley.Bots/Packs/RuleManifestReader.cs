using System.Text.RegularExpressions;
using Parley.Bots.Replies;
using YamlDotNet.RepresentationModel;

namespace Parley.Bots.Packs;

/// <summary>Reads and checks the manifest's <c>rules</c>: input rules, output rules and disclaimers.</summary>
internal static class RuleManifestReader
{
    private static readonly string[] Routes = [BotRoutes.Template, BotRoutes.Retrieval, BotRoutes.Llm, BotRoutes.Tool, BotRoutes.Fallback, BotRoutes.Rule, BotRoutes.Handoff];

    public static BotRules Read(YamlMap manifest)
    {
        if (manifest.Map("rules") is not { } rules)
        {
            return BotRules.None;
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var input = Items(rules, "input").Select(item =>
        {
            var intent = item.String("intent");
            var patterns = Patterns(item);
            var rule = new InputRule
            {
                Name = Name(item, names),
                Description = Trimmed(item.String("description")),
                Patterns = patterns,
                Intent = intent,
                Reply = item.String("reply", required: true)!.Trim(),
                Then = item.String("then") switch
                {
                    null or "stop" => InputRuleAction.Stop,
                    "answer" => InputRuleAction.Answer,
                    var other => throw item.Error(item.Node("then")!, $"field '{item.Field("then")}' must be 'stop' (the reply is the whole answer) or 'answer' (the bot answers after it), not '{other}'"),
                },
                Location = $"{item.File}:{item.Line}",
            };
            if (patterns.IsEmpty && intent is null)
            {
                throw new BotPackException(item.File, item.Line, $"input rule '{rule.Name}' has nothing to fire on: give 'phrases', 'patterns' or an 'intent'");
            }

            item.RejectUnknownKeys();
            return rule;
        }).ToArray();

        var output = Items(rules, "output").Select(item =>
        {
            var rule = new OutputRule
            {
                Name = Name(item, names),
                Description = Trimmed(item.String("description")),
                Patterns = Patterns(item),
                Reply = item.String("reply", required: true)!.Trim(),
                Location = $"{item.File}:{item.Line}",
            };
            if (rule.Patterns.IsEmpty)
            {
                throw new BotPackException(item.File, item.Line, $"output rule '{rule.Name}' has nothing to look for: give 'phrases' or 'patterns'");
            }

            item.RejectUnknownKeys();
            return rule;
        }).ToArray();

        var disclaimers = Items(rules, "disclaimers").Select(item =>
        {
            var routes = item.StringList("routes");
            foreach (var (route, node) in routes.Where(r => !Routes.Contains(r.Value, StringComparer.Ordinal)))
            {
                throw item.Error(node, $"'{item.Field("routes")}' names the route '{route}' (known: {string.Join(", ", Routes)})");
            }

            var disclaimer = new Disclaimer
            {
                Name = item.String("name") ?? "disclaimer",
                Text = item.String("text", required: true)!.Trim(),
                Routes = routes.Select(r => r.Value).ToArray(),
            };
            item.RejectUnknownKeys();
            return disclaimer;
        }).ToArray();

        rules.RejectUnknownKeys();
        return new BotRules { Input = input, Output = output, Disclaimers = disclaimers };
    }

    /// <summary>Checks that the intents the input rules name exist.</summary>
    public static void Validate(BotRules rules, IReadOnlyList<IntentDefinition> intents)
    {
        foreach (var rule in rules.Input.Where(r => r.Intent is not null))
        {
            if (intents.All(i => i.Name != rule.Intent))
            {
                var (file, line) = ToolManifestReader.SplitLocation(rule.Location);
                throw new BotPackException(file, line, $"input rule '{rule.Name}' fires on intent '{rule.Intent}', which no intent file defines");
            }
        }
    }

    private static IEnumerable<YamlMap> Items(YamlMap rules, string key)
    {
        var sequence = rules.Sequence(key);
        if (sequence is null)
        {
            yield break;
        }

        var index = 0;
        foreach (var node in sequence)
        {
            yield return new YamlMap(rules.File, node, rules.Field($"{key}[{index++}]"));
        }
    }

    private static string Name(YamlMap item, Dictionary<string, string> names)
    {
        var name = item.String("name", required: true)!.Trim();
        var location = $"{item.File}:{item.Line}";
        if (!names.TryAdd(name, location))
        {
            throw item.Error(item.Node("name")!, $"the rule name '{name}' is used twice (first at {names[name]})");
        }

        return name;
    }

    private static RulePatterns Patterns(YamlMap item)
    {
        var phrases = item.StringList("phrases").Select(p => p.Value).ToArray();
        var patterns = new List<Regex>();
        foreach (var (pattern, node) in item.StringList("patterns"))
        {
            try
            {
                patterns.Add(RulePatterns.Compile(pattern));
            }
            catch (ArgumentException e)
            {
                throw item.Error(node, $"'{item.Field("patterns")}' has an invalid regular expression '{pattern}': {e.Message}");
            }
        }

        return new RulePatterns(phrases, patterns);
    }

    private static string? Trimmed(string? text) => text?.Trim() is { Length: > 0 } t ? t : null;
}
