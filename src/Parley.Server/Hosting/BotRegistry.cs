using Microsoft.Extensions.AI;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Bots;
using Parley.Bots.Packs;
using Parley.Core.Conversations;
using Parley.Hosting;
using Parley.Nlu.Embeddings;

namespace Parley.Server.Hosting;

/// <summary>The served bots, built at start-up by the <see cref="IBotFactory"/>, with the process's encoder and conversation store.</summary>
public sealed class BotRegistry : IHostedService
{
    private readonly ParleyServerOptions _options;
    private readonly IBotFactory _factory;
    private readonly ILogger<BotRegistry> _logger;
    private readonly TaskCompletionSource<IReadOnlyDictionary<string, Bot>> _bots = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates the registry; bots load when the host starts.</summary>
    public BotRegistry(
        ParleyServerOptions options,
        IBotFactory factory,
        IEmbeddingGenerator<string, Embedding<float>> embeddings,
        IConversationStore store,
        ILogger<BotRegistry> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(store);
        _options = options;
        _factory = factory;
        Embeddings = embeddings;
        Store = store;
        _logger = logger;
    }

    /// <summary>The sentence encoder (the process's one, behind the embedding cache).</summary>
    public IEmbeddingGenerator<string, Embedding<float>> Embeddings { get; }

    /// <summary>The conversation store.</summary>
    public IConversationStore Store { get; }

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
                var bot = await _factory.CreateAsync(folder, cancellationToken).ConfigureAwait(false);
                if (!bots.TryAdd(bot.Name, bot))
                {
                    throw new BotPackException(Path.Combine(folder, "bot.yaml"), 0, $"another served bot is also named '{bot.Name}': model ids must be unique, so rename one");
                }

                _logger.LogInformation("Serving bot {Bot} from {Folder}", bot.Name, folder);
            }

            _bots.SetResult(bots);

            // Ready does not wait for the encoder (a bot whose index and model are cached does not need it to load),
            // but the first request should not wait for it either: load it now, in the background.
            Embeddings.GetService<MiniLmEmbeddingGenerator>()?.StartLoading();
        }
        catch (Exception e)
        {
            _bots.TrySetException(e);
            throw;
        }
    }

    /// <summary>Ends the bots' MCP sessions (stopping the MCP servers they started).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_bots.Task.IsCompletedSuccessfully)
        {
            return;
        }

        foreach (var bot in _bots.Task.Result.Values)
        {
            await bot.DisposeAsync().ConfigureAwait(false);
        }
    }
}
