using System.Text.Json.Nodes;

namespace Parley.OpenAI.FineTuning;

/// <summary>One page of a list (jobs or events), newest first, as OpenAI returns it.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Data">The items of this page.</param>
/// <param name="HasMore">Whether older items follow; ask for them with <c>after</c> = the last id of this page.</param>
public sealed record FineTuningPage<T>(IReadOnlyList<T> Data, bool HasMore)
{
    /// <summary>The page in OpenAI's shape: <c>{"object":"list","data":[…],"has_more":…}</c>.</summary>
    /// <param name="toJson">Turns one item into JSON.</param>
    public JsonObject ToJson(Func<T, JsonObject> toJson)
    {
        ArgumentNullException.ThrowIfNull(toJson);
        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray([.. Data.Select(item => (JsonNode)toJson(item))]),
            ["has_more"] = HasMore,
        };
    }
}
