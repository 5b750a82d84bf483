namespace Parley.Bots.Packs;

/// <summary>How the bot uses an LLM when an endpoint is configured.</summary>
public sealed class ModelSettings
{
    /// <summary>The default model id; <c>--model</c> and <c>PARLEY_MODEL</c> override it. Null leaves it to configuration.</summary>
    public string? Id { get; init; }

    /// <summary>Sampling temperature, 0–2; null leaves it to the endpoint.</summary>
    public float? Temperature { get; init; }

    /// <summary>The reply budget in tokens. Default 800.</summary>
    public int MaxOutputTokens { get; init; } = 800;

    /// <summary>The model's context window in tokens; null looks it up from the model id.</summary>
    public int? ContextWindow { get; init; }
}
