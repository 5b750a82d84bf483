using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Parley.Bots;
using Parley.Bots.Packs;
using Parley.Core.History;
using Parley.Nlu.Training;
using Parley.Retrieval.Indexing;

namespace Parley.Hosting;

/// <summary>
/// The bot recipe: the pack, the process's sentence encoder behind the data folder's embedding cache, the intent
/// model trained once into <c>models</c>, the knowledge index kept in <c>indexes</c>, and — when an endpoint is
/// configured — the LLM with retries and a token budget from the pack's model settings.
/// </summary>
internal sealed class BotFactory(
    ParleyDataFolder data,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    LlmClientFactory llm,
    IOptions<ParleyOptions> options,
    IBotStartupReporter reporter,
    Parley.Core.Calendar.ICalendarStore calendar,
    IEncoderFineTuner? encoderFineTuner = null) : IBotFactory
{
    public async Task<Bot> CreateAsync(string botFolder, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(botFolder);
        var pack = await BotPackLoader.LoadAsync(botFolder, cancellationToken).ConfigureAwait(false);
        var model = llm.ModelFor(pack);
        var client = model is null ? null : llm.Create(model);
        var bot = await Bot.CreateAsync(
            pack,
            embeddings,
            client,
            new BotBuildOptions
            {
                ModelId = model,
                ModelsFolder = data.Models,
                EncoderFineTuner = encoderFineTuner,
                KnowledgeIndexesFolder = data.Indexes,
                KnowledgeEncoder = encoder => SharedSentenceEncoder.CreateCached(data, encoder),
                KnowledgeProgress = new KnowledgeReports(reporter, pack.Name),
                Tools = new Parley.Bots.Tools.BotToolServices { Calendar = calendar, Warnings = new ToolReports(reporter, pack.Name) },
                TrainingProgress = new IntentTrainingProgress
                {
                    // The pack's own examples (the trainer adds typo variants), before any encoder fine-tuning starts.
                    Started = new Once<int>(examples => reporter.TrainingIntentModel(pack.Name, examples)),
                    Finished = new Once<TimeSpan>(elapsed => reporter.IntentModelTrained(pack.Name, elapsed)),
                },
                ConfigureLlm = builder => builder.UseTokenBudget(new TokenBudgetOptions
                {
                    ModelId = model,
                    ContextWindow = pack.Manifest.Model.ContextWindow,
                    ReplyBudget = pack.Manifest.Model.MaxOutputTokens,
                    Encoding = options.Value.TokenEncoding,
                }),
            },
            cancellationToken).ConfigureAwait(false);
        return bot;
    }

    /// <summary>Passes the tools' start-up warnings on, as they happen.</summary>
    private sealed class ToolReports(IBotStartupReporter reporter, string bot) : IProgress<string>
    {
        public void Report(string value) => reporter.ToolWarning(bot, value);
    }

    /// <summary>Turns knowledge-index progress into warnings and one "indexing" report.</summary>
    private sealed class KnowledgeReports(IBotStartupReporter reporter, string bot) : IProgress<KnowledgeIndexProgress>
    {
        private int _embedding;

        public void Report(KnowledgeIndexProgress value)
        {
            if (value.Warning is not null)
            {
                reporter.KnowledgeWarning(bot, value.Warning);
            }

            if (value.Stage == KnowledgeIndexProgress.Embedding && Interlocked.Exchange(ref _embedding, 1) == 0)
            {
                reporter.IndexingKnowledge(bot, value.Total);
            }
        }
    }

    /// <summary>Reports only the first value.</summary>
    private sealed class Once<T>(Action<T> report) : IProgress<T>
    {
        private int _done;

        public void Report(T value)
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                report(value);
            }
        }
    }
}
