using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Parley.Bots;
using Parley.Core.Conversations;
using Parley.Hosting;
using Parley.Nlu.Embeddings;

namespace Parley.Cli.Hosting;

/// <summary>
/// A bot and its conversation store for <c>chat</c> and <c>ask</c>, built by the hosting library's
/// <see cref="IBotFactory"/> exactly as <c>serve</c> builds its bots. Holds no chat logic of its own.
/// </summary>
public sealed class BotRuntime : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private BotRuntime(ServiceProvider services, Bot bot, ParleySettings settings)
    {
        _services = services;
        Bot = bot;
        Settings = settings;
    }

    /// <summary>The bot.</summary>
    public Bot Bot { get; }

    /// <summary>The conversation store, opened on first use (an unstored <c>ask</c> never opens it).</summary>
    public IConversationStore Store => _services.GetRequiredService<IConversationStore>();

    /// <summary>The settings in effect.</summary>
    public ParleySettings Settings { get; }

    /// <summary>Builds the bot of the settings (or the default bot).</summary>
    /// <exception cref="Parley.Bots.Packs.BotPackException">The bot pack is invalid.</exception>
    /// <exception cref="CliException">A setting is invalid or no bot can be found.</exception>
    public static async Task<BotRuntime> StartAsync(CliContext context, ParleySettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var folder = BotLocator.Resolve(context, settings.Parley.Bot);
        var services = CliServices.Build(context, settings);
        try
        {
            // The first message needs the encoder: load it on the other core while the pack, model and index load.
            services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GetService<MiniLmEmbeddingGenerator>()?.StartLoading();
            var bot = await services.GetRequiredService<IBotFactory>().CreateAsync(folder, cancellationToken).ConfigureAwait(false);
            return new BotRuntime(services, bot, settings);
        }
        catch
        {
            await services.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Resumes or starts a session with the bot.</summary>
    /// <param name="sessionId">The session to resume (or create with this id), or null for a new one.</param>
    /// <param name="systemPrompt">A system prompt for this session that replaces the bot's persona, or null.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public async Task<ChatSession> OpenSessionAsync(string? sessionId, string? systemPrompt, CancellationToken cancellationToken = default)
    {
        var session = await ChatSession.OpenAsync(Bot.ChatClient, Store, Bot.Name, sessionId, Bot.SystemPrompt, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (systemPrompt is not null)
        {
            await session.SetSystemPromptAsync(systemPrompt, cancellationToken).ConfigureAwait(false);
        }

        return session;
    }

    /// <summary>Ends the bot's MCP sessions, then releases the services.</summary>
    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync().ConfigureAwait(false);
        await _services.DisposeAsync().ConfigureAwait(false);
    }
}
