using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Parley.Bots;
using Parley.Bots.Packs;
using Parley.Core.Conversations;
using Parley.Core.History;
using Parley.Core.Resilience;
using Parley.Nlu.Training;
using Parley.Storage.Sqlite;

namespace Parley.Cli.Hosting;

/// <summary>
/// Wires what a chat needs from the settings: the bot pack and its pipeline, the LLM endpoint when one is
/// configured, and the conversation store. Holds no chat logic of its own.
/// </summary>
public sealed class BotRuntime : IAsyncDisposable
{
    /// <summary>The model used when neither flags, settings nor the bot name one.</summary>
    public const string DefaultModel = "gpt-4o-mini";

    private readonly SqliteConversationStore _store;
    private readonly SqliteCalendarStore _calendar;
    private readonly IChatClient? _llm;

    private BotRuntime(Bot bot, SqliteConversationStore store, SqliteCalendarStore calendar, IChatClient? llm, ParleySettings settings)
    {
        Bot = bot;
        _store = store;
        _calendar = calendar;
        _llm = llm;
        Settings = settings;
    }

    /// <summary>The bot.</summary>
    public Bot Bot { get; }

    /// <summary>The conversation store.</summary>
    public IConversationStore Store => _store;

    /// <summary>The settings in effect.</summary>
    public ParleySettings Settings { get; }

    /// <summary>Loads the bot and connects the store and, when configured, the LLM endpoint.</summary>
    /// <exception cref="BotPackException">The bot pack is invalid.</exception>
    /// <exception cref="CliException">A setting is invalid.</exception>
    public static async Task<BotRuntime> StartAsync(CliContext context, ParleySettings settings, CancellationToken cancellationToken = default)
    {
        var pack = await BotPackLoader.LoadAsync(BotLocator.Resolve(context, settings.Bot), cancellationToken).ConfigureAwait(false);
        var model = settings.HasEndpoint ? settings.OpenAI.Model ?? pack.Manifest.Model.Id ?? DefaultModel : null;
        var llm = model is null ? null : LlmEndpoint.Create(settings, model);
        var store = new SqliteConversationStore(settings.StoreOptions(context));
        var calendar = new SqliteCalendarStore(settings.StoreOptions(context));

        try
        {
            var training = new Stopwatch();
            var bot = await Bot.CreateAsync(
                pack,
                LocalEmbeddings.Create(context),
                llm,
                new BotBuildOptions
                {
                    ModelId = model,
                    ModelsFolder = Path.Combine(ParleySettings.DataDirectory(context), "models"),
                    KnowledgeIndexesFolder = Path.Combine(ParleySettings.DataDirectory(context), "indexes"),
                    KnowledgeProgress = new KnowledgeLines(context.Error, pack.Name),
                    Tools = new Parley.Bots.Tools.BotToolServices { Calendar = calendar },
                    TrainingProgress = new IntentTrainingProgress
                    {
                        Featurizing = new Once<(int Done, int Total)>(p =>
                        {
                            training.Start();
                            context.Error.WriteLine($"Training the intent model of bot '{pack.Name}' from {p.Total} examples (once; again when they change)...");
                        }),
                    },
                    ConfigureLlm = builder => builder.UseTokenBudget(new TokenBudgetOptions
                    {
                        ModelId = model,
                        ContextWindow = pack.Manifest.Model.ContextWindow,
                        ReplyBudget = pack.Manifest.Model.MaxOutputTokens,
                        Encoding = settings.TokenEncoding,
                    }),
                },
                cancellationToken).ConfigureAwait(false);
            if (training.IsRunning)
            {
                await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Intent model trained in {training.Elapsed.TotalSeconds:0.0} s.")).ConfigureAwait(false);
            }

            return new BotRuntime(bot, store, calendar, llm, settings);
        }
        catch
        {
            calendar.Dispose();
            store.Dispose();
            llm?.Dispose();
            throw;
        }
    }

    /// <summary>Resumes or starts a session with the bot.</summary>
    /// <param name="sessionId">The session to resume (or create with this id), or null for a new one.</param>
    /// <param name="systemPrompt">A system prompt for this session that replaces the bot's persona, or null.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public async Task<ChatSession> OpenSessionAsync(string? sessionId, string? systemPrompt, CancellationToken cancellationToken = default)
    {
        var session = await ChatSession.OpenAsync(Bot.ChatClient, _store, Bot.Name, sessionId, Bot.SystemPrompt, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (systemPrompt is not null)
        {
            await session.SetSystemPromptAsync(systemPrompt, cancellationToken).ConfigureAwait(false);
        }

        return session;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _calendar.Dispose();
        _store.Dispose();
        _llm?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Writes knowledge-index warnings, and one line when passages are being embedded, to stderr.</summary>
    private sealed class KnowledgeLines(TextWriter error, string bot) : IProgress<Parley.Retrieval.Indexing.KnowledgeIndexProgress>
    {
        private bool _embedding;

        public void Report(Parley.Retrieval.Indexing.KnowledgeIndexProgress value)
        {
            if (value.Warning is not null)
            {
                error.WriteLine($"warning: {value.Warning}");
            }

            if (value.Stage == Parley.Retrieval.Indexing.KnowledgeIndexProgress.Embedding && !_embedding)
            {
                _embedding = true;
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Indexing the knowledge of bot '{bot}' ({value.Total} new or changed passages)..."));
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
