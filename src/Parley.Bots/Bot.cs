using Microsoft.Extensions.AI;
using Parley.Bots.Guardrails;
using Parley.Bots.Handoff;
using Parley.Bots.Intents;
using Parley.Bots.Knowledge;
using Parley.Bots.Packs;
using Parley.Bots.Routing;
using Parley.Bots.Tools;
using Parley.Nlu.Features;
using Parley.Retrieval.Knowledge;

namespace Parley.Bots;

/// <summary>
/// A bot ready to answer: its pack and the chat-client pipeline built from it. The pipeline is
/// guardrails (the pack's rules, on every message and every reply) → handoff to a person → tools (offline: intents that name a tool, with slots and forms) → intent routing (templates) → knowledge (quoted
/// offline, or grounding the LLM) → tools (with an LLM: function calling, approval-gated) → the LLM when one is configured,
/// else an honest fallback.
/// </summary>
public sealed class Bot : IAsyncDisposable
{
    private readonly BotToolbox? _toolbox;
    private readonly IDisposable? _knowledgeEncoder;

    private Bot(BotPack pack, IChatClient client, string? modelId, bool usesLlm, BotIntentClassifier classifier, IKnowledgeSearch knowledge, BotToolbox? toolbox, IDisposable? knowledgeEncoder)
    {
        _toolbox = toolbox;
        _knowledgeEncoder = knowledgeEncoder;
        Pack = pack;
        ChatClient = client;
        ModelId = modelId;
        UsesLlm = usesLlm;
        Classifier = classifier;
        Knowledge = knowledge;
    }

    /// <summary>The bot pack.</summary>
    public BotPack Pack { get; }

    /// <summary>The bot's name.</summary>
    public string Name => Pack.Name;

    /// <summary>The pipeline that answers messages.</summary>
    public IChatClient ChatClient { get; }

    /// <summary>The LLM's model id, when an LLM is used.</summary>
    public string? ModelId { get; }

    /// <summary>Whether generation goes to an LLM (otherwise the bot answers offline).</summary>
    public bool UsesLlm { get; }

    /// <summary>The intent classifier: the trained model behind the nearest-example gate, or the nearest example alone.</summary>
    public BotIntentClassifier Classifier { get; }

    /// <summary>The knowledge search.</summary>
    public IKnowledgeSearch Knowledge { get; }

    /// <summary>The bot's tools (built in and from MCP servers), or null when it has none.</summary>
    public BotToolbox? Toolbox => _toolbox;

    /// <summary>The wording of what the bot writes itself, in the pack's language.</summary>
    public BotMessages Messages => BotMessages.For(Pack.Manifest.Language);

    /// <summary>The system prompt: the bot's persona.</summary>
    public string SystemPrompt => Pack.Manifest.Persona;

    /// <summary>Builds the bot's pipeline.</summary>
    /// <param name="pack">The loaded pack.</param>
    /// <param name="embeddings">Sentence embeddings for intent matching and knowledge search.</param>
    /// <param name="llm">The LLM client (with its own retries), or null to answer offline.</param>
    /// <param name="options">How to build it; null for the defaults (no trained intent model).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<Bot> CreateAsync(
        BotPack pack,
        IEmbeddingGenerator<string, Embedding<float>> embeddings,
        IChatClient? llm = null,
        BotBuildOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentNullException.ThrowIfNull(embeddings);
        options ??= new BotBuildOptions();
        // A pack may search its knowledge with another encoder than the intents' (knowledge_encoder); Chinese packs search lexically.
        var encoder = pack.Manifest.KnowledgeEncoder;
        var knowledgeEmbeddings = encoder == Parley.Nlu.Embeddings.SentenceEncoderModel.MiniLm || pack.Manifest.Language == BotLanguages.Chinese ? null
            : options.KnowledgeEncoder?.Invoke(encoder) ?? new Parley.Nlu.Embeddings.MiniLmEmbeddingGenerator(new Parley.Nlu.Embeddings.EncoderOptions { Model = encoder });
        IKnowledgeSearch knowledge;
        try
        {
            knowledge = await BotKnowledge.OpenAsync(pack, knowledgeEmbeddings ?? embeddings, options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            knowledgeEmbeddings?.Dispose();
            throw;
        }

        BotIntentClassifier classifier;
        try
        {
            // The knowledge has the last word on messages the intents' typo gate lets through with no typo in them.
            classifier = await BotIntentClassifier.CreateAsync(
                pack, embeddings, options.ModelsFolder, options.TrainingProgress, encoderFineTuner: options.EncoderFineTuner, knowledge: knowledge, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            (knowledge as IDisposable)?.Dispose();
            knowledgeEmbeddings?.Dispose();
            throw;
        }

        var toolbox = pack.Manifest.Tools.Count == 0 && pack.Manifest.McpServers.Count == 0 ? null
            : await BotToolbox.CreateAsync(pack, options.Tools ?? new BotToolServices(), knowledge, cancellationToken).ConfigureAwait(false);
        var model = llm is null ? null : options.ModelId ?? pack.Manifest.Model.Id;
        var builder = new ChatClientBuilder(llm ?? new FallbackChatClient(pack.Manifest.Fallback, WrittenLanguage(pack)))
            .ConfigureOptions(o => ApplyPackDefaults(o, pack.Manifest.Model, model));
        if (!pack.Manifest.Rules.IsEmpty)
        {
            builder.UseGuardrails(pack.Manifest.Rules, o =>
            {
                o.Classifier = classifier;
                o.InstructModel = llm is not null;
            });
        }

        if (pack.Manifest.Handoff is { } handoff)
        {
            builder.UseHandoff(handoff, o =>
            {
                o.BotName = pack.Name;
                o.Classifier = classifier;
                o.Http = options.Http;
            });
        }

        if (toolbox is not null && llm is null)
        {
            builder.UseIntentTools(classifier, pack, toolbox);
        }

        builder
            .UseIntentRouting(classifier, pack, lexicalKnowledge: knowledge as LexicalKnowledgeSearch)
            .UseKnowledge(knowledge, llm is null ? KnowledgeMode.Quote : KnowledgeMode.Ground, pack.Manifest.Thresholds.Knowledge, BotMessages.For(pack.Manifest.Language));
        if (toolbox is not null && llm is not null)
        {
            builder.UseLlmTools(toolbox);
        }

        if (llm is not null)
        {
            options.ConfigureLlm?.Invoke(builder);
        }

        return new Bot(pack, builder.Build(), model, llm is not null, classifier, knowledge, toolbox, knowledgeEmbeddings);
    }

    /// <summary>
    /// The pack's model settings as defaults of every call (<c>ConfigureOptions</c>):
    /// the bot's LLM model always, the pack's temperature unless the caller sets one, and the pack's output limit as a
    /// cap on the caller's.
    /// </summary>
    /// <summary>
    /// The pack's <c>language</c> when its examples are written in that language's script (Latin letters for English,
    /// other scripts for Chinese), else null: a pack of Chinese examples left on the default <c>language: en</c> must not
    /// tell Chinese users it understands only English.
    /// </summary>
    private static string? WrittenLanguage(BotPack pack)
    {
        var latin = FeatureSelection.LatinShare(pack.Intents.SelectMany(i => i.Examples)) >= FeatureSelection.MinLatinShare;
        return latin == (pack.Manifest.Language == BotLanguages.English) ? pack.Manifest.Language : null;
    }

    private static void ApplyPackDefaults(ChatOptions options, ModelSettings settings, string? model)
    {
        options.ModelId = model;
        options.Temperature ??= settings.Temperature;
        options.MaxOutputTokens = Math.Min(options.MaxOutputTokens ?? settings.MaxOutputTokens, settings.MaxOutputTokens);
    }

    /// <summary>Ends the bot's MCP sessions (stopping the MCP servers it started).</summary>
    public async ValueTask DisposeAsync()
    {
        _knowledgeEncoder?.Dispose();
        if (_toolbox is not null)
        {
            await _toolbox.DisposeAsync().ConfigureAwait(false);
        }
    }
}
