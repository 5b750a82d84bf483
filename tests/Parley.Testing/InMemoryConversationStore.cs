using Parley.Core.Conversations;

namespace Parley.Testing;

/// <summary>A conversation store in memory, for tests of code that uses <see cref="IConversationStore"/>.</summary>
public sealed class InMemoryConversationStore : IConversationStore
{
    private readonly Dictionary<string, Conversation> _conversations = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _next;

    /// <summary>Called before each append; throw from it to simulate a failing store.</summary>
    public Action<string, IReadOnlyList<StoredMessage>>? OnAppend { get; set; }

    public Task<Conversation> CreateAsync(string bot, string? id = null, string? owner = null, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            id ??= $"s_{++_next}";
            if (_conversations.ContainsKey(id))
            {
                throw new ConversationStoreException($"session '{id}' exists");
            }

            var now = DateTimeOffset.UtcNow;
            var conversation = new Conversation(id, bot, now, now) { Owner = owner };
            _conversations[id] = conversation;
            return Task.FromResult(Copy(conversation));
        }
    }

    public Task<Conversation?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_conversations.TryGetValue(id, out var c) ? Copy(c) : null);
        }
    }

    public Task AppendAsync(string id, IEnumerable<StoredMessage> messages, CancellationToken cancellationToken = default) =>
        AppendAsync(id, messages, [], cancellationToken);

    public Task AppendAsync(string id, IEnumerable<StoredMessage> messages, IEnumerable<ConversationEvent> events, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var list = messages.ToList();
        OnAppend?.Invoke(id, list);
        lock (_lock)
        {
            var conversation = _conversations.TryGetValue(id, out var c) ? c : throw new ConversationStoreException($"no session '{id}'");
            conversation.Messages.AddRange(list);
            var count = conversation.Messages.Count;
            conversation.Events.AddRange(events.Select(e => e with { AfterMessages = count }));
            if (list.Count > 0)
            {
                conversation.Updated = list[^1].Timestamp;
            }
        }

        return Task.CompletedTask;
    }

    public Task SetSystemPromptAsync(string id, string? systemPrompt, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            (_conversations.TryGetValue(id, out var c) ? c : throw new ConversationStoreException($"no session '{id}'")).SystemPrompt = systemPrompt;
        }

        return Task.CompletedTask;
    }

    public Task SetTitleAsync(string id, string? title, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            (_conversations.TryGetValue(id, out var c) ? c : throw new ConversationStoreException($"no session '{id}'")).Title = title;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ConversationSummary>> ListAsync(string? bot = null, int limit = 50, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<ConversationSummary> list = _conversations.Values
                .Where(c => bot is null || c.Bot == bot)
                .OrderByDescending(c => c.Updated)
                .Take(limit)
                .Select(c => new ConversationSummary(c.Id, c.Bot, c.Created, c.Updated, c.Messages.Count, c.Messages.FirstOrDefault(m => m.Message.Role == Microsoft.Extensions.AI.ChatRole.User)?.Message.Text, c.Title, c.Owner))
                .ToList();
            return Task.FromResult(list);
        }
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_conversations.Remove(id));
        }
    }

    private static Conversation Copy(Conversation source)
    {
        var copy = new Conversation(source.Id, source.Bot, source.Created, source.Updated) { SystemPrompt = source.SystemPrompt, Owner = source.Owner, Title = source.Title };
        copy.Messages.AddRange(source.Messages);
        copy.Events.AddRange(source.Events);
        return copy;
    }
}
