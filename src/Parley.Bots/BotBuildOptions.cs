using Microsoft.Extensions.AI;
using Parley.Nlu.Training;

namespace Parley.Bots;

/// <summary>How <see cref="Bot.CreateAsync"/> builds a bot.</summary>
public sealed class BotBuildOptions
{
    /// <summary>The LLM's model id; defaults to the pack's <c>model.id</c>.</summary>
    public string? ModelId { get; init; }

    /// <summary>Adds middleware in front of the LLM (for example a token budget), innermost last.</summary>
    public Action<ChatClientBuilder>? ConfigureLlm { get; init; }

    /// <summary>
    /// Where the bots' trained intent models are kept. When set, the bot trains its intent model from the pack on
    /// first use (and again when the examples change); when null, intents are matched by nearest example only.
    /// </summary>
    public string? ModelsFolder { get; init; }

    /// <summary>Training progress, reported when the intent model is (re)trained.</summary>
    public IntentTrainingProgress? TrainingProgress { get; init; }
}
