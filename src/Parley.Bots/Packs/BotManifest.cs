namespace Parley.Bots.Packs;

/// <summary>The settings of a bot, read from <c>bot.yaml</c> or <c>bot.json</c>. See <c>docs/bot-packs.md</c>.</summary>
public sealed class BotManifest
{
    /// <summary>The default persona when an English manifest gives none (<see cref="BotMessages.DefaultPersona"/> for other languages).</summary>
    public const string DefaultPersona = "You are a helpful, concise assistant. When you do not know something, say so.";

    /// <summary>The default fallback reply when an English manifest gives none (<see cref="BotMessages.DefaultFallback"/> for other languages).</summary>
    public const string DefaultFallback = "I'm sorry, I don't know the answer to that. Would you like me to connect you with a person?";

    /// <summary>The bot's name: lowercase letters, digits, <c>-</c> and <c>_</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The name shown to users; defaults to <see cref="Name"/>.</summary>
    public string? DisplayName { get; init; }

    /// <summary>A one-line description.</summary>
    public string? Description { get; init; }

    /// <summary>The system prompt.</summary>
    public string Persona { get; init; } = DefaultPersona;

    /// <summary>Model settings used when an LLM endpoint is configured.</summary>
    public ModelSettings Model { get; init; } = new();

    /// <summary>Confidence thresholds.</summary>
    public BotThresholds Thresholds { get; init; } = new();

    /// <summary>The reply when nothing else answers: an honest "I don't know" with a handoff offer.</summary>
    public string Fallback { get; init; } = DefaultFallback;

    /// <summary>The safety rules: input rules, output rules and disclaimers (the manifest's <c>rules</c>).</summary>
    public BotRules Rules { get; init; } = BotRules.None;

    /// <summary>When and how the bot hands a conversation to a person (the manifest's <c>handoff</c>); null for no handoff.</summary>
    public HandoffSettings? Handoff { get; init; }

    /// <summary>The user's IANA time zone for date phrases and calendar times; null for the machine's.</summary>
    public string? TimeZone { get; init; }

    /// <summary>The tools the bot may use (the manifest's <c>tools</c>).</summary>
    public IReadOnlyList<ToolDeclaration> Tools { get; init; } = [];

    /// <summary>The MCP servers whose tools the bot may use (<c>mcp_servers</c>); empty for none.</summary>
    public IReadOnlyList<McpServerDeclaration> McpServers { get; init; } = [];

    /// <summary>The custom entities slots can be filled from (the manifest's <c>entities</c>).</summary>
    public IReadOnlyList<EntityDefinition> Entities { get; init; } = [];

    /// <summary>The intents folder, relative to the pack. Default <c>intents</c>.</summary>
    public string IntentsFolder { get; init; } = "intents";

    /// <summary>The knowledge folder, relative to the pack. Default <c>knowledge</c>.</summary>
    public string KnowledgeFolder { get; init; } = "knowledge";

    /// <summary>
    /// The sentence encoder of the knowledge search (<c>knowledge_encoder</c>): all-MiniLM-L6-v2 (the default, also the
    /// intent encoder) or snowflake-arctic-embed-xs. Not used by a Chinese pack, whose knowledge is searched lexically.
    /// </summary>
    public Parley.Nlu.Embeddings.SentenceEncoderModel KnowledgeEncoder { get; init; } = Parley.Nlu.Embeddings.SentenceEncoderModel.MiniLm;

    /// <summary>
    /// How the pack's intent model is trained (<c>method</c>): <c>auto</c> (the default, chosen by the examples),
    /// <c>head</c> (a classifier on frozen features), or <c>full</c>, <c>lora</c> or <c>contrastive</c>, which fine-tune
    /// the sentence encoder too (<see cref="Parley.Nlu.Training.TrainingMethods"/>; docs/intent-models.md).
    /// </summary>
    public string Method { get; init; } = Parley.Nlu.Training.TrainingMethods.Auto;

    /// <summary>Where <see cref="Method"/> was given (<c>file:line</c>), for errors about it; null when the manifest does not set it.</summary>
    public string? MethodLocation { get; init; }

    /// <summary>
    /// The language of the bot's users and documents (<see cref="BotLanguages"/>): it chooses the wording of the
    /// messages the bot writes itself, the default persona and fallback, and how the knowledge is searched. Default <c>en</c>.
    /// </summary>
    public string Language { get; init; } = BotLanguages.English;
}
