using Microsoft.Extensions.AI;
using Parley.Bots.Packs;

namespace Parley.Bots.Handoff;

/// <summary>Adds handing conversations to people to a chat pipeline.</summary>
public static class HandoffChatClientBuilderExtensions
{
    /// <summary>Adds <see cref="HandoffChatClient"/> with the pack's <c>handoff</c> settings.</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="settings">The pack's handoff settings.</param>
    /// <param name="configure">Sets the options (bot name, classifier, HTTP client, clock).</param>
    public static ChatClientBuilder UseHandoff(this ChatClientBuilder builder, HandoffSettings settings, Action<HandoffOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        var options = new HandoffOptions();
        configure?.Invoke(options);
        return builder.Use(inner => new HandoffChatClient(inner, settings, options));
    }
}
