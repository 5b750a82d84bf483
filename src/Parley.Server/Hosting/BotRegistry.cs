using Microsoft.Extensions.AI;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Bots;
using Parley.Bots.Packs;
using Parley.Core.Conversations;
using Parley.Nlu.Embeddings;
using Parley.Storage.Sqlite;

namespace Parley.Server.Hosting;

/// <summary>The served bots, loaded at start-up, with the shared encoder and conversation store.</summary>
public sealed class BotRegistry : IHostedService, IDisposable
{
    // One encoder per process: loading the model takes about a second, and it is thread-safe.
    private static readonly Lazy<MiniLmEmbeddingGenerator> SharedEncoder = new(() => new MiniLmEmbeddingGenerator());

    private readonly ParleyServerOptions _options;
    private readonly ILogger<BotRegistry> _logger;
    private readonly TaskCompletionSource<IReadOnlyDictionary<string, Bot>> _bots = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lazy<IConversationStore> _store;
    private SqliteConversationStore? _ownedStore;

    /// <summary>Creates the registry; bots load when the host starts.</summary>
    public BotRegistry(ParleyServerOptions options, ILogger<BotRegistry> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger;
        _store = new Lazy<IConversationStore>(() => options.Store ?? (_ownedStore = new SqliteConversationStore(new SqliteConversationStoreOptions
        {
            Path = options.DatabasePath ?? Path.Combine(options.ResolvedDataDirectory, SqliteConversationStoreOptions.DatabaseFileName),
            TimeProvider = options.TimeProvider,
        })));
    }

    /// <summary>The sentence encoder.</summary>
    public IEmbeddingGenerator<string, Embedding<float>> Embeddings => _options.Embeddings ?? SharedEncoder.Value;

    /// <summary>The conversation store, opened on first use.</summary>
    public IConversationStore Store => _store.Value;

    /// <summary>Whether every bot has loaded.</summary>
    public bool IsReady => _bots.Task.IsCompletedSuccessfully;

    /// <summary>The bots by model id (their names), once loaded.</summary>
    public Task<IReadOnlyDictionary<string, Bot>> GetBotsAsync(CancellationToken cancellationToken = default) =>
        _bots.Task.WaitAsync(cancellationToken);

    /// <summary>Loads the bots.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var bots = new Dictionary<string, Bot>(StringComparer.Ordinal);
            foreach (var folder in _options.BotFolders)
            {
                var bot = await (_options.BotFactory ?? CreateOfflineBotAsync)(folder, cancellationToken).ConfigureAwait(false);
                if (!bots.TryAdd(bot.Name, bot))
                {
                    throw new BotPackException(Path.Combine(folder, "bot.yaml"), 0, $"another served bot is also named '{bot.Name}': model ids must be unique, so rename one");
                }

                _logger.LogInformation("Serving bot {Bot} from {Folder}", bot.Name, folder);
            }

            _bots.SetResult(bots);
        }
        catch (Exception e)
        {
            _bots.TrySetException(e);
            throw;
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose() => _ownedStore?.Dispose();

    private async Task<Bot> CreateOfflineBotAsync(string folder, CancellationToken cancellationToken)
    {
        var pack = await BotPackLoader.LoadAsync(folder, cancellationToken).ConfigureAwait(false);
        var indexes = Path.Combine(_options.ResolvedDataDirectory, "indexes");
        var warnings = new Progress<Parley.Retrieval.Indexing.KnowledgeIndexProgress>(p =>
        {
            if (p.Warning is not null)
            {
                _logger.LogWarning("Bot {Bot}: {Warning}", pack.Name, p.Warning);
            }
        });
        return await Bot.CreateAsync(pack, Embeddings, options: new BotBuildOptions { KnowledgeIndexesFolder = indexes, KnowledgeProgress = warnings }, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
