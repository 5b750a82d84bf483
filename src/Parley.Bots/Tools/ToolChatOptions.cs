using Microsoft.Extensions.AI;

namespace Parley.Bots.Tools;

/// <summary>Per-call settings of a bot's tools, carried in <see cref="ChatOptions.AdditionalProperties"/> and removed before the LLM sees them.</summary>
public static class ToolChatOptions
{
    /// <summary>The session (conversation) id: its calendar is the one the calendar tools use.</summary>
    public const string SessionKey = "parley.session";

    /// <summary>True to approve tools that need approval up front (<c>parley ask --approve</c>).</summary>
    public const string ApproveKey = "parley.approve_tools";

    /// <summary>Sets the session and, optionally, up-front approval on <paramref name="options"/>.</summary>
    public static ChatOptions ForSession(this ChatOptions options, string session, bool approveTools = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AdditionalProperties ??= [];
        options.AdditionalProperties[SessionKey] = session;
        options.AdditionalProperties[ApproveKey] = approveTools;
        return options;
    }

    /// <summary>The session set by <see cref="ForSession"/>, or null.</summary>
    public static string? Session(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(SessionKey, out var value) == true ? value?.ToString() : null;

    /// <summary>Whether tools were approved up front.</summary>
    public static bool IsApproved(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(ApproveKey, out var value) == true && value is true;

    /// <summary>A copy of <paramref name="options"/> without Parley's keys, for clients further in.</summary>
    public static ChatOptions? WithoutParleyKeys(ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { } properties || (!properties.ContainsKey(SessionKey) && !properties.ContainsKey(ApproveKey)))
        {
            return options;
        }

        var copy = options.Clone();
        copy.AdditionalProperties = new AdditionalPropertiesDictionary(properties.Where(p => p.Key is not SessionKey and not ApproveKey).ToDictionary(p => p.Key, p => p.Value));
        return copy;
    }
}
