using Parley.Nlu.Intents;

namespace Parley.Bots.Guardrails;

/// <summary>How <see cref="GuardrailsChatClient"/> applies a pack's rules.</summary>
public sealed class GuardrailsOptions
{
    /// <summary>
    /// The classifier that recognises the intents input rules fire on (<see cref="Packs.InputRule.Intent"/>); null when
    /// no rule names an intent. Default null.
    /// </summary>
    public IIntentClassifier? Classifier { get; set; }

    /// <summary>
    /// Whether the rules' descriptions are given to the model as a system message (for a pipeline that ends in an LLM).
    /// The output rules are checked either way: the model is told, not trusted. Default false.
    /// </summary>
    public bool InstructModel { get; set; }

    /// <summary>The clock for the timestamps of the <c>rule</c> events recorded on the session. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
