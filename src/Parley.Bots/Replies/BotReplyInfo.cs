using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Parley.Bots.Replies;

/// <summary>
/// How a bot answered: the route, the recognised intent and the cited sources. Each middleware of the bot
/// pipeline records its part in the reply's <see cref="ChatResponse.AdditionalProperties"/> (streamed replies:
/// in an update's), under the keys below; this type reads them back.
/// </summary>
/// <param name="Route">One of <see cref="BotRoutes"/>.</param>
/// <param name="Intent">The recognised intent, or null when none was recognised with confidence.</param>
/// <param name="Sources">The cited sources, best first.</param>
/// <param name="ToolCalls">The tool calls made or proposed for the reply, or null when there were none.</param>
/// <param name="Rules">The safety rules that acted on the reply, or null when none did.</param>
/// <param name="Handoff">The handoff to a person the reply made, or null.</param>
public sealed record BotReplyInfo(
    string Route,
    IntentMatch? Intent,
    IReadOnlyList<SourceCitation> Sources,
    IReadOnlyList<ToolCallRecord>? ToolCalls = null,
    IReadOnlyList<RuleHit>? Rules = null,
    HandoffInfo? Handoff = null)
{
    /// <summary>The property key of the handoff (a <see cref="HandoffInfo"/>).</summary>
    public const string HandoffKey = "parley.handoff";

    /// <summary>The property key of the rules that acted (a list of <see cref="RuleHit"/>).</summary>
    public const string RulesKey = "parley.rules";

    /// <summary>The property key of the tool calls (a list of <see cref="ToolCallRecord"/>).</summary>
    public const string ToolCallsKey = "parley.tool_calls";

    /// <summary>The property key of the route (a string).</summary>
    public const string RouteKey = "parley.route";

    /// <summary>The property key of the intent (an <see cref="IntentMatch"/>).</summary>
    public const string IntentKey = "parley.intent";

    /// <summary>The property key of the sources (a list of <see cref="SourceCitation"/>).</summary>
    public const string SourcesKey = "parley.sources";

    /// <summary>Reads the reply information from response or message properties.</summary>
    /// <param name="properties">The properties; values may be typed or, after storage, JSON.</param>
    /// <param name="defaultRoute">The route to report when none was recorded.</param>
    public static BotReplyInfo From(AdditionalPropertiesDictionary? properties, string defaultRoute = BotRoutes.Llm)
    {
        if (properties is null)
        {
            return new BotReplyInfo(defaultRoute, null, []);
        }

        var route = Read<string>(properties, RouteKey) ?? defaultRoute;
        var intent = Read<IntentMatch>(properties, IntentKey);
        var sources = Read<SourceCitation[]>(properties, SourcesKey) ?? [];
        var calls = Read<ToolCallRecord[]>(properties, ToolCallsKey);
        var rules = Read<RuleHit[]>(properties, RulesKey);
        return new BotReplyInfo(route, intent, sources, calls, rules, Read<HandoffInfo>(properties, HandoffKey));
    }

    /// <summary>Records this information in <paramref name="properties"/>.</summary>
    public void WriteTo(AdditionalPropertiesDictionary properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        properties[RouteKey] = Route;
        if (Intent is not null)
        {
            properties[IntentKey] = Intent;
        }

        properties[SourcesKey] = Sources.ToArray();
        if (ToolCalls is { Count: > 0 })
        {
            properties[ToolCallsKey] = ToolCalls.ToArray();
        }

        if (Handoff is not null)
        {
            properties[HandoffKey] = Handoff;
        }

        if (Rules is { Count: > 0 })
        {
            properties[RulesKey] = Rules.ToArray();
        }
    }

    private static T? Read<T>(AdditionalPropertiesDictionary properties, string key) where T : class =>
        properties.TryGetValue(key, out var value) switch
        {
            false => null,
            true when value is T typed => typed,
            true when value is IEnumerable<SourceCitation> list && typeof(T) == typeof(SourceCitation[]) => list.ToArray() as T,
            true when value is IEnumerable<ToolCallRecord> calls && typeof(T) == typeof(ToolCallRecord[]) => calls.ToArray() as T,
            true when value is IEnumerable<RuleHit> hits && typeof(T) == typeof(RuleHit[]) => hits.ToArray() as T,
            true when value is JsonElement json => json.Deserialize<T>(ReplyJson.Options),
            _ => null,
        };
}
