namespace Parley.Bots.Packs;

/// <summary>Reads and checks the manifest's <c>handoff</c>.</summary>
internal static class HandoffManifestReader
{
    public static HandoffSettings? Read(YamlMap manifest)
    {
        if (manifest.Map("handoff") is not { } map)
        {
            return null;
        }

        var phrases = map.StringList("phrases").Select(p => p.Value).ToArray();
        var patterns = new List<System.Text.RegularExpressions.Regex>();
        foreach (var (pattern, node) in map.StringList("patterns"))
        {
            try
            {
                patterns.Add(RulePatterns.Compile(pattern));
            }
            catch (ArgumentException e)
            {
                throw map.Error(node, $"'{map.Field("patterns")}' has an invalid regular expression '{pattern}': {e.Message}");
            }
        }

        Uri? url = null;
        var deadline = TimeSpan.FromSeconds(10);
        var attempts = 3;
        if (map.Map("webhook") is { } webhook)
        {
            var text = webhook.String("url", required: true)!;
            url = Uri.TryCreate(text, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps)
                ? parsed
                : throw webhook.Error(webhook.Node("url")!, $"field '{webhook.Field("url")}' must be an absolute http or https URL (got '{text}')");
            deadline = TimeSpan.FromSeconds(webhook.Number("deadline_seconds", 1, 600) ?? 10);
            attempts = (int)(webhook.Number("max_attempts", 1, 20) ?? 3);
            webhook.RejectUnknownKeys();
        }

        var settings = new HandoffSettings
        {
            AfterFallbacks = (int)(map.Number("after_fallbacks", 0, 100) ?? 2),
            Patterns = new RulePatterns(phrases, patterns),
            Intent = map.String("intent"),
            Reply = map.String("reply")?.Trim() is { Length: > 0 } reply ? reply : HandoffSettings.DefaultReply,
            WebhookUrl = url,
            WebhookDeadline = deadline,
            WebhookAttempts = attempts,
            Location = $"{map.File}:{map.Line}",
        };
        map.RejectUnknownKeys();
        return settings;
    }

    public static void Validate(HandoffSettings? settings, IReadOnlyList<IntentDefinition> intents)
    {
        if (settings?.Intent is { } intent && intents.All(i => i.Name != intent))
        {
            var (file, line) = ToolManifestReader.SplitLocation(settings.Location);
            throw new BotPackException(file, line, $"handoff.intent names '{intent}', which no intent file defines");
        }
    }
}
