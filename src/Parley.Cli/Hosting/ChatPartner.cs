using Microsoft.Extensions.AI;
using Parley.Bots.Packs;
using Parley.Core.Conversations;

namespace Parley.Cli.Hosting;

/// <summary>What <c>parley chat</c> talks to: a bot, or (with <c>--bot none</c>) a model on the endpoint directly.</summary>
/// <param name="Name">The name its sessions are stored under: the bot's name, or the model id.</param>
/// <param name="Title">What the chat's first line calls it.</param>
/// <param name="Client">The chat client: the bot's pipeline, or the endpoint's client for the model.</param>
/// <param name="SystemPrompt">The default system prompt (the bot's persona), or null.</param>
/// <param name="Messages">The wording of what Parley writes itself (the bot's language; English for a model).</param>
/// <param name="CreateOptions">Per-call options.</param>
/// <param name="Store">The conversation store.</param>
internal sealed record ChatPartner(string Name, string Title, IChatClient Client, string? SystemPrompt, BotMessages Messages, Func<ChatOptions> CreateOptions, IConversationStore Store)
{
    /// <summary>The partner for a bot.</summary>
    public static ChatPartner For(BotRuntime runtime)
    {
        var bot = runtime.Bot;
        var mode = bot.UsesLlm ? $"model {bot.ModelId}" : "offline";
        return new(bot.Name, $"{bot.Pack.Manifest.DisplayName ?? bot.Name} ({mode})", bot.ChatClient, bot.SystemPrompt, bot.Messages, static () => new ChatOptions(), runtime.Store);
    }

    /// <summary>The partner for a model with no bot in front of it.</summary>
    public static ChatPartner For(ModelRuntime runtime) =>
        new(runtime.Model, $"model {runtime.Model} at {runtime.BaseUrl} (no bot)", runtime.Client, null, BotMessages.For(BotLanguages.English), () => new ChatOptions { ModelId = runtime.Model }, runtime.Store);

    /// <summary>Resumes or starts a session.</summary>
    /// <param name="sessionId">The session to resume (or create with this id), or null for a new one.</param>
    /// <param name="systemPrompt">A system prompt for this session that replaces the default one, or null.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public async Task<ChatSession> OpenSessionAsync(string? sessionId, string? systemPrompt, CancellationToken cancellationToken = default)
    {
        var session = await ChatSession.OpenAsync(Client, Store, Name, sessionId, SystemPrompt, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (systemPrompt is not null)
        {
            await session.SetSystemPromptAsync(systemPrompt, cancellationToken).ConfigureAwait(false);
        }

        return session;
    }
}
