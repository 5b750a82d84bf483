using Microsoft.Extensions.AI;

namespace Parley.Core.Conversations;

/// <summary>
/// Carries <see cref="ConversationEvent"/>s from a chat pipeline to the <see cref="ChatSession"/> that stores its
/// reply: middleware adds them to the response's (or a streamed update's) additional properties, and the session
/// stores them in the same transaction as the reply, then removes them from the stored message.
/// </summary>
public static class ConversationEvents
{
    /// <summary>The additional-properties key under which the events of a reply travel.</summary>
    public const string PropertyKey = "parley.events";

    /// <summary>Adds <paramref name="conversationEvent"/> to the events carried by <paramref name="properties"/>.</summary>
    /// <param name="properties">A response's or update's additional properties; created when null.</param>
    /// <param name="conversationEvent">The event to carry.</param>
    /// <returns>The properties, for chaining.</returns>
    public static AdditionalPropertiesDictionary Add(AdditionalPropertiesDictionary? properties, ConversationEvent conversationEvent)
    {
        ArgumentNullException.ThrowIfNull(conversationEvent);
        properties ??= [];
        var list = properties.TryGetValue(PropertyKey, out var existing) && existing is IEnumerable<ConversationEvent> carried
            ? [.. carried]
            : new List<ConversationEvent>();
        list.Add(conversationEvent);
        properties[PropertyKey] = list;
        return properties;
    }

    /// <summary>The events carried by <paramref name="properties"/>, in the order they were added; empty when none.</summary>
    public static IReadOnlyList<ConversationEvent> From(AdditionalPropertiesDictionary? properties) =>
        properties is not null && properties.TryGetValue(PropertyKey, out var value) && value is IEnumerable<ConversationEvent> events
            ? [.. events]
            : [];

    /// <summary>Removes the events from <paramref name="properties"/> and returns them.</summary>
    public static IReadOnlyList<ConversationEvent> Take(AdditionalPropertiesDictionary? properties)
    {
        var events = From(properties);
        properties?.Remove(PropertyKey);
        return events;
    }
}
