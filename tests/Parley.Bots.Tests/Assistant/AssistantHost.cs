using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Parley.Bots.Packs;
using Parley.Bots.Tools;
using Parley.Core.Conversations;
using Parley.Nlu.Embeddings;
using Parley.Storage.Sqlite;
using Parley.Testing;

namespace Parley.Bots.Tests.Assistant;

/// <summary>
/// What the assistant tests share: a SQLite database in a temporary folder (conversations and calendar), a clock fixed
/// at Wednesday 2 December 2026 12:40 UTC, the real encoder, and the assistant sample built on them.
/// </summary>
internal sealed class AssistantHost : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-assistant-").FullName;

    public AssistantHost()
    {
        var options = new SqliteConversationStoreOptions { Path = Path.Combine(_folder, "parley.db"), TimeProvider = Time };
        Conversations = new SqliteConversationStore(options);
        Calendar = new SqliteCalendarStore(options);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 2, 12, 40, 0, TimeSpan.Zero));

    public MiniLmEmbeddingGenerator Embeddings { get; } = new();

    public SqliteConversationStore Conversations { get; }

    public SqliteCalendarStore Calendar { get; }

    /// <summary>The assistant with <paramref name="llm"/> (null: offline) and its weather service at <paramref name="weather"/>.</summary>
    public async Task<Bot> BuildAsync(Uri weather, IChatClient? llm = null) => await Bot.CreateAsync(
        await BotPackLoader.LoadAsync(TestPaths.AssistantBot), Embeddings, llm, new BotBuildOptions
        {
            Tools = new BotToolServices { Calendar = Calendar, TimeProvider = Time, WeatherBaseUrl = weather },
        });

    /// <summary>Opens <paramref name="session"/> of <paramref name="bot"/> from the database, as a separate <c>parley ask --session</c> call does.</summary>
    public Task<ChatSession> OpenAsync(Bot bot, string session) =>
        ChatSession.OpenAsync(bot.ChatClient, Conversations, bot.Name, session, bot.SystemPrompt, Time);

    /// <summary>The events in <paramref name="session"/>'s calendar.</summary>
    public async Task<int> EventCountAsync(string session) => (await Calendar.ListAsync(session, DateTimeOffset.MinValue, DateTimeOffset.MaxValue)).Count;

    public ValueTask DisposeAsync()
    {
        Calendar.Dispose();
        Conversations.Dispose();
        Embeddings.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
