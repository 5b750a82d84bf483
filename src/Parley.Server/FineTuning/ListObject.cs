using System.Text.Json.Serialization;

namespace Parley.Server.FineTuning;

/// <summary>A page of a list endpoint, as OpenAI writes it.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Data">The items of the page.</param>
/// <param name="HasMore">Whether more items follow (ask again with <c>after</c> = <paramref name="LastId"/>).</param>
/// <param name="FirstId">The id of the first item, or null on an empty page.</param>
/// <param name="LastId">The id of the last item, or null on an empty page.</param>
public sealed record ListObject<T>(
    IReadOnlyList<T> Data,
    bool HasMore,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? FirstId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? LastId)
{
    /// <summary>Always <c>list</c>.</summary>
    public string Object => "list";
}
