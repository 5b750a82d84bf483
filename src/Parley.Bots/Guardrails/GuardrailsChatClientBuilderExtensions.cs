using Microsoft.Extensions.AI;
using Parley.Bots.Packs;

namespace Parley.Bots.Guardrails;

/// <summary>Adds a pack's safety rules to a chat pipeline.</summary>
public static class GuardrailsChatClientBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="GuardrailsChatClient"/>: input rules on every user message, output rules on every reply (streamed
    /// replies held back sentence by sentence), and disclaimers. Put it first, so it sees every message and every reply.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="rules">The pack's rules.</param>
    /// <param name="configure">Sets the options (the intent classifier, whether the model is told the rules).</param>
    public static ChatClientBuilder UseGuardrails(this ChatClientBuilder builder, BotRules rules, Action<GuardrailsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(rules);
        var options = new GuardrailsOptions();
        configure?.Invoke(options);
        return builder.Use(inner => new GuardrailsChatClient(inner, rules, options));
    }
}
