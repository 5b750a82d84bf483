using Microsoft.Extensions.AI;
using Parley.Bots.Knowledge;
using Parley.Nlu.Training;
using Parley.Retrieval.Chunking;
using Parley.Retrieval.Indexing;
using Parley.Retrieval.Knowledge;

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

    /// <summary>
    /// Fine-tunes the sentence encoder for packs whose <c>method</c> is <c>full</c>, <c>lora</c> or <c>contrastive</c>
    /// (Parley.Nlu.Torch's <c>TorchEncoderFineTuner</c>); null in a host without it, where such a pack fails to build.
    /// </summary>
    public IEncoderFineTuner? EncoderFineTuner { get; init; }

    /// <summary>
    /// Where the bots' knowledge indexes are kept, e.g. <c>&lt;data&gt;/indexes</c>. When set, each bot keeps an on-disk
    /// index of its <c>knowledge/</c> folder in <c>&lt;folder&gt;/&lt;bot name&gt;-&lt;hash of the knowledge path&gt;</c>, brings it up
    /// to date at start-up (only new and changed files are chunked and embedded) and searches it; a damaged or
    /// outdated index is rebuilt with a warning. When null, the knowledge is chunked and embedded in memory at every start.
    /// </summary>
    public string? KnowledgeIndexesFolder { get; init; }

    /// <summary>Progress of knowledge indexing, and its warnings (skipped files, an index rebuilt from scratch).</summary>
    public IProgress<KnowledgeIndexProgress>? KnowledgeProgress { get; init; }

    /// <summary>How knowledge documents are cut into passages; null for <see cref="WordPieceChunking.Create"/> (200 MiniLM word pieces, 30 of overlap).</summary>
    public ChunkingOptions? Chunking { get; init; }

    /// <summary>
    /// Whether knowledge is searched by BM25 and vectors fused (<see cref="HybridKnowledgeSearch"/>) rather than by
    /// vectors alone. Default false: on the shop bot's test questions hybrid search ranks worse than vectors alone
    /// (MRR in docs/BENCHMARKS.md). Either way a hit's score is its cosine similarity, so <c>thresholds.knowledge</c>
    /// means the same.
    /// </summary>
    public bool HybridKnowledge { get; init; }

    /// <summary>
    /// What the pack's tools run on (calendar store, clock, HTTP client); null for the defaults, which have no calendar store,
    /// so a pack declaring calendar tools then fails to build.
    /// </summary>
    public Tools.BotToolServices? Tools { get; init; }

    /// <summary>The HTTP client that posts handoff transcripts to the pack's webhook; null for one shared by all bots.</summary>
    public HttpClient? Http { get; init; }

    /// <summary>
    /// Creates the sentence encoder of a pack whose <c>knowledge_encoder</c> is not all-MiniLM-L6-v2 (the encoder given to
    /// <see cref="Bot.CreateAsync"/>); the bot owns and disposes what it returns. Null for a new in-process encoder of that
    /// model without a cache.
    /// </summary>
    public Func<Parley.Nlu.Embeddings.SentenceEncoderModel, IEmbeddingGenerator<string, Embedding<float>>>? KnowledgeEncoder { get; init; }

    /// <summary>How BM25 and vector rankings are fused when <see cref="HybridKnowledge"/> is on; null for the defaults.</summary>
    public HybridSearchOptions? KnowledgeSearch { get; init; }
}
