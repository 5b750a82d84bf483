using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Parley.Core.Conversations;

namespace Parley.Storage.Sqlite;

/// <summary>
/// An <see cref="IConversationStore"/> in a SQLite file, shared safely by several stores, threads and processes.
/// </summary>
/// <remarks>
/// <para>
/// The folder and schema are created on first use. The file is put in WAL mode so readers and a writer in
/// different processes (the CLI and the server, say) work at the same time; a writer waits up to
/// <see cref="SqliteConversationStoreOptions.BusyTimeout"/> for the lock. A file written by a newer Parley
/// (an unknown <c>PRAGMA user_version</c>), a database of another application, or a corrupt file is refused with a
/// <see cref="ConversationStoreException"/> that names the file.
/// </para>
/// <para>
/// Messages are stored as JSON with the resolver of <c>AIJsonUtilities.DefaultOptions</c>, so every built-in
/// <c>AIContent</c> (text, tool calls with their arguments, tool results, data, errors, usage, …),
/// <c>AuthorName</c>, <c>MessageId</c>, <c>CreatedAt</c> and <c>AdditionalProperties</c> round-trip. Values typed
/// <see cref="object"/> — tool-call arguments, tool results, additional properties — come back as
/// <see cref="JsonElement"/>s with the same JSON, and <c>RawRepresentation</c> (provider objects) is not stored.
/// Custom <c>AIContent</c> types must be registered with <c>AIJsonUtilities.AddAIContentType</c>.
/// </para>
/// </remarks>
public sealed class SqliteConversationStore : IConversationStore, IDisposable, IAsyncDisposable
{
    private const int MaxGeneratedIdAttempts = 3;

    private readonly string _path;
    private readonly TimeProvider _timeProvider;
    private readonly SqliteDatabase _database;

    /// <summary>Creates a store for the file in <paramref name="options"/>; nothing is opened until the first call.</summary>
    /// <param name="options">The options; validated and read once here.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public SqliteConversationStore(SqliteConversationStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _path = Path.GetFullPath(options.Path);
        _timeProvider = options.TimeProvider;
        _database = new SqliteDatabase(_path, options.BusyTimeout);
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DatabasePath => _path;

    /// <inheritdoc />
    public async Task<Conversation> CreateAsync(string bot, string? id = null, string? owner = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bot);
        if (id is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(id);
        }

        return await _database.WriteAsync($"create a conversation for bot '{bot}'", async (connection, transaction) =>
        {
            DateTimeOffset now = _timeProvider.GetUtcNow();
            for (int attempt = 1; ; attempt++)
            {
                string candidate = id ?? SqliteRows.NewId();
                using var command = SqliteDatabase.Command(connection, transaction, """
                    INSERT INTO conversations (id, bot, system_prompt, created, updated, owner) VALUES ($id, $bot, NULL, $now, $now, $owner);
                    """);
                command.Parameters.AddWithValue("$owner", (object?)owner ?? DBNull.Value);
                command.Parameters.AddWithValue("$id", candidate);
                command.Parameters.AddWithValue("$bot", bot);
                command.Parameters.AddWithValue("$now", SqliteRows.FormatTimestamp(now));
                try
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    return new Conversation(candidate, bot, now, now) { Owner = owner };
                }
                catch (SqliteException ex) when (SqliteErrors.IsConstraintViolation(ex))
                {
                    if (id is not null)
                    {
                        throw new ConversationStoreException(
                            $"Could not create conversation '{id}': a conversation with that id already exists in '{_path}'. Resume it, or choose another id.", ex);
                    }

                    if (attempt == MaxGeneratedIdAttempts)
                    {
                        throw;
                    }
                }
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ConversationStoreException">The database cannot be read, or a stored message cannot be deserialized.</exception>
    public async Task<Conversation?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return await _database.ReadAsync($"load conversation '{id}'", async (connection, transaction) =>
        {
            Conversation conversation;
            using (var command = SqliteDatabase.Command(connection, transaction, "SELECT bot, system_prompt, created, updated, owner, title FROM conversations WHERE id = $id;"))
            {
                command.Parameters.AddWithValue("$id", id);
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                conversation = new Conversation(id, reader.GetString(0), SqliteRows.ParseTimestamp(reader.GetString(2)), SqliteRows.ParseTimestamp(reader.GetString(3)))
                {
                    SystemPrompt = reader.IsDBNull(1) ? null : reader.GetString(1),
                    Owner = reader.IsDBNull(4) ? null : reader.GetString(4),
                    Title = reader.IsDBNull(5) ? null : reader.GetString(5),
                };
            }

            using (var command = SqliteDatabase.Command(connection, transaction, "SELECT seq, payload, incomplete, timestamp FROM messages WHERE conversation_id = $id ORDER BY seq;"))
            {
                command.Parameters.AddWithValue("$id", id);
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    long seq = reader.GetInt64(0);
                    try
                    {
                        var message = SqliteRows.DeserializeMessage(reader.GetString(1));
                        conversation.Messages.Add(new StoredMessage(message, SqliteRows.ParseTimestamp(reader.GetString(3)), reader.GetInt64(2) != 0));
                    }
                    catch (Exception ex) when (ex is JsonException or NotSupportedException or FormatException)
                    {
                        throw new ConversationStoreException(
                            $"Could not load conversation '{id}': message {seq} in '{_path}' cannot be read ({ex.Message}). " +
                            "It may have been written by a newer Parley or edited by hand; upgrade Parley or delete the conversation.", ex);
                    }
                }
            }

            using (var command = SqliteDatabase.Command(connection, transaction, "SELECT seq, kind, detail, data, after_messages, timestamp FROM conversation_events WHERE conversation_id = $id ORDER BY seq;"))
            {
                command.Parameters.AddWithValue("$id", id);
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    try
                    {
                        var data = reader.IsDBNull(3) ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(3));
                        conversation.Events.Add(new ConversationEvent(reader.GetString(1), SqliteRows.ParseTimestamp(reader.GetString(5)), reader.IsDBNull(2) ? null : reader.GetString(2), data)
                        {
                            AfterMessages = reader.GetInt32(4),
                        });
                    }
                    catch (Exception ex) when (ex is JsonException or FormatException)
                    {
                        throw new ConversationStoreException(
                            $"Could not load conversation '{id}': event {reader.GetInt64(0)} in '{_path}' cannot be read ({ex.Message}). " +
                            "It may have been written by a newer Parley or edited by hand; upgrade Parley or delete the conversation.", ex);
                    }
                }
            }

            return conversation;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// All messages are serialized first and inserted in one transaction; on any failure (including cancellation)
    /// none is stored and the timestamp is unchanged. An empty list only checks that the conversation exists.
    /// </remarks>
    /// <exception cref="ConversationStoreException">
    /// The conversation does not exist, a message cannot be serialized, or the database cannot be written.
    /// </exception>
    public Task AppendAsync(string id, IEnumerable<StoredMessage> messages, CancellationToken cancellationToken = default) =>
        AppendAsync(id, messages, [], cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Messages and events are serialized first and inserted in one transaction; on any failure (including
    /// cancellation) none is stored and the timestamp is unchanged. Empty lists only check that the conversation exists.
    /// </remarks>
    /// <exception cref="ConversationStoreException">
    /// The conversation does not exist, a message cannot be serialized, or the database cannot be written.
    /// </exception>
    public async Task AppendAsync(string id, IEnumerable<StoredMessage> messages, IEnumerable<ConversationEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(events);
        var eventRows = events.Select((e, i) => e is null
            ? throw new ArgumentException($"Event {i + 1} is null.", nameof(events))
            : (e.Kind, e.Detail, Data: e.Data is { Count: > 0 } ? JsonSerializer.Serialize(e.Data) : null, Timestamp: SqliteRows.FormatTimestamp(e.Timestamp)))
            .ToList();

        var rows = new List<(string Role, string? Author, string Payload, bool Incomplete, string Timestamp)>();
        foreach (StoredMessage stored in messages)
        {
            if (stored?.Message is null)
            {
                throw new ArgumentException($"Message {rows.Count + 1} is null.", nameof(messages));
            }

            string payload;
            try
            {
                payload = SqliteRows.SerializeMessage(stored.Message);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
            {
                throw new ConversationStoreException(
                    $"Could not append to conversation '{id}': message {rows.Count + 1} cannot be serialized to JSON ({ex.Message}). " +
                    "Nothing was appended. Register custom AIContent types with AIJsonUtilities.AddAIContentType and keep AdditionalProperties to JSON-serializable values.", ex);
            }

            rows.Add((stored.Message.Role.Value.ToLowerInvariant(), stored.Message.AuthorName, payload, stored.Incomplete, SqliteRows.FormatTimestamp(stored.Timestamp)));
        }

        await _database.WriteAsync($"append to conversation '{id}'", async (connection, transaction) =>
        {
            if (rows.Count == 0 && eventRows.Count == 0)
            {
                using var exists = SqliteDatabase.Command(connection, transaction, "SELECT 1 FROM conversations WHERE id = $id;");
                exists.Parameters.AddWithValue("$id", id);
                if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
                {
                    throw Missing(id, "append to");
                }

                return 0;
            }

            using (var touch = SqliteDatabase.Command(connection, transaction, "UPDATE conversations SET updated = $now WHERE id = $id;"))
            {
                touch.Parameters.AddWithValue("$id", id);
                touch.Parameters.AddWithValue("$now", SqliteRows.FormatTimestamp(_timeProvider.GetUtcNow()));
                if (await touch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    throw Missing(id, "append to");
                }
            }

            long seq;
            using (var next = SqliteDatabase.Command(connection, transaction, "SELECT COALESCE(MAX(seq), -1) + 1 FROM messages WHERE conversation_id = $id;"))
            {
                next.Parameters.AddWithValue("$id", id);
                seq = Convert.ToInt64(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }

            using var insert = SqliteDatabase.Command(connection, transaction, """
                INSERT INTO messages (conversation_id, seq, role, author, payload, incomplete, timestamp)
                VALUES ($id, $seq, $role, $author, $payload, $incomplete, $timestamp);
                """);
            insert.Parameters.AddWithValue("$id", id);
            var seqParameter = insert.Parameters.Add("$seq", SqliteType.Integer);
            var roleParameter = insert.Parameters.Add("$role", SqliteType.Text);
            var authorParameter = insert.Parameters.Add("$author", SqliteType.Text);
            var payloadParameter = insert.Parameters.Add("$payload", SqliteType.Text);
            var incompleteParameter = insert.Parameters.Add("$incomplete", SqliteType.Integer);
            var timestampParameter = insert.Parameters.Add("$timestamp", SqliteType.Text);
            foreach (var row in rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                seqParameter.Value = seq++;
                roleParameter.Value = row.Role;
                authorParameter.Value = (object?)row.Author ?? DBNull.Value;
                payloadParameter.Value = row.Payload;
                incompleteParameter.Value = row.Incomplete ? 1 : 0;
                timestampParameter.Value = row.Timestamp;
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (eventRows.Count > 0)
            {
                await InsertEventsAsync(connection, transaction, id, eventRows, messageCount: seq, cancellationToken).ConfigureAwait(false);
            }

            return rows.Count + eventRows.Count;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task InsertEventsAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string id,
        List<(string Kind, string? Detail, string? Data, string Timestamp)> events,
        long messageCount,
        CancellationToken cancellationToken)
    {
        long seq;
        using (var next = SqliteDatabase.Command(connection, transaction, "SELECT COALESCE(MAX(seq), -1) + 1 FROM conversation_events WHERE conversation_id = $id;"))
        {
            next.Parameters.AddWithValue("$id", id);
            seq = Convert.ToInt64(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        using var insert = SqliteDatabase.Command(connection, transaction, """
            INSERT INTO conversation_events (conversation_id, seq, kind, detail, data, after_messages, timestamp)
            VALUES ($id, $seq, $kind, $detail, $data, $after, $timestamp);
            """);
        insert.Parameters.AddWithValue("$id", id);
        insert.Parameters.AddWithValue("$after", messageCount);
        var seqParameter = insert.Parameters.Add("$seq", SqliteType.Integer);
        var kindParameter = insert.Parameters.Add("$kind", SqliteType.Text);
        var detailParameter = insert.Parameters.Add("$detail", SqliteType.Text);
        var dataParameter = insert.Parameters.Add("$data", SqliteType.Text);
        var timestampParameter = insert.Parameters.Add("$timestamp", SqliteType.Text);
        foreach (var e in events)
        {
            cancellationToken.ThrowIfCancellationRequested();
            seqParameter.Value = seq++;
            kindParameter.Value = e.Kind;
            detailParameter.Value = (object?)e.Detail ?? DBNull.Value;
            dataParameter.Value = (object?)e.Data ?? DBNull.Value;
            timestampParameter.Value = e.Timestamp;
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task SetSystemPromptAsync(string id, string? systemPrompt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        await _database.WriteAsync($"set the system prompt of conversation '{id}'", async (connection, transaction) =>
        {
            using var command = SqliteDatabase.Command(connection, transaction, "UPDATE conversations SET system_prompt = $prompt WHERE id = $id;");
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$prompt", (object?)systemPrompt ?? DBNull.Value);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0
                ? throw Missing(id, "set the system prompt of")
                : 1;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task SetTitleAsync(string id, string? title, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        await _database.WriteAsync($"set the title of conversation '{id}'", async (connection, transaction) =>
        {
            using var command = SqliteDatabase.Command(connection, transaction, "UPDATE conversations SET title = $title WHERE id = $id;");
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$title", (object?)title ?? DBNull.Value);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0
                ? throw Missing(id, "set the title of")
                : 1;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// <paramref name="bot"/> matches exactly (case-sensitive). The preview is the first user message's text on one
    /// line, cut to 60 characters with an ellipsis; ties in the update time are ordered newest-created first.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not positive.</exception>
    public Task<IReadOnlyList<ConversationSummary>> ListAsync(string? bot = null, int limit = 50, CancellationToken cancellationToken = default) =>
        ListPageAsync(bot, limit, after: null, owner: null, cancellationToken);

    /// <inheritdoc />
    /// <remarks>A keyset query on (updated, created, id): pages cost the same however deep they are.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not positive.</exception>
    public async Task<IReadOnlyList<ConversationSummary>> ListPageAsync(string? bot, int limit, string? after, string? owner = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return await _database.ReadAsync("list conversations", async (connection, transaction) =>
        {
            using var command = SqliteDatabase.Command(connection, transaction, """
                SELECT c.id, c.bot, c.created, c.updated,
                       (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id),
                       (SELECT m.payload FROM messages m WHERE m.conversation_id = c.id AND m.role = 'user' ORDER BY m.seq LIMIT 1),
                       c.title, c.owner
                FROM conversations c
                LEFT JOIN conversations a ON a.id = $after
                WHERE ($bot IS NULL OR c.bot = $bot)
                  AND ($owner IS NULL OR c.owner = $owner)
                  AND ($after IS NULL OR (a.id IS NOT NULL AND (c.updated < a.updated
                       OR (c.updated = a.updated AND (c.created < a.created OR (c.created = a.created AND c.id > a.id))))))
                ORDER BY c.updated DESC, c.created DESC, c.id
                LIMIT $limit;
                """);
            command.Parameters.AddWithValue("$bot", (object?)bot ?? DBNull.Value);
            command.Parameters.AddWithValue("$after", (object?)after ?? DBNull.Value);
            command.Parameters.AddWithValue("$limit", limit);
            command.Parameters.AddWithValue("$owner", (object?)owner ?? DBNull.Value);
            var summaries = new List<ConversationSummary>();
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                summaries.Add(new ConversationSummary(
                    reader.GetString(0),
                    reader.GetString(1),
                    SqliteRows.ParseTimestamp(reader.GetString(2)),
                    SqliteRows.ParseTimestamp(reader.GetString(3)),
                    reader.GetInt32(4),
                    reader.IsDBNull(5) ? null : PreviewOf(reader.GetString(5)),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7)));
            }

            return (IReadOnlyList<ConversationSummary>)summaries;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return await _database.WriteAsync($"delete conversation '{id}'", async (connection, transaction) =>
        {
            using (var messages = SqliteDatabase.Command(connection, transaction, "DELETE FROM messages WHERE conversation_id = $id; DELETE FROM conversation_events WHERE conversation_id = $id;"))
            {
                messages.Parameters.AddWithValue("$id", id);
                await messages.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            using var conversation = SqliteDatabase.Command(connection, transaction, "DELETE FROM conversations WHERE id = $id;");
            conversation.Parameters.AddWithValue("$id", id);
            return await conversation.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the sessions (with their messages and events) last active before <paramref name="cutoff"/>.</summary>
    /// <param name="cutoff">Sessions updated before this moment are deleted.</param>
    /// <param name="bot">Only this bot's sessions, or null for every bot's.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>How many sessions were deleted.</returns>
    /// <exception cref="ConversationStoreException">The database cannot be written.</exception>
    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, string? bot = null, CancellationToken cancellationToken = default)
    {
        var before = SqliteRows.FormatTimestamp(cutoff);
        return await _database.WriteAsync($"delete sessions last active before {before}", async (connection, transaction) =>
        {
            const string Old = "SELECT id FROM conversations WHERE updated < $before AND ($bot IS NULL OR bot = $bot)";
            using (var messages = SqliteDatabase.Command(connection, transaction, $"DELETE FROM messages WHERE conversation_id IN ({Old}); DELETE FROM conversation_events WHERE conversation_id IN ({Old});"))
            {
                messages.Parameters.AddWithValue("$before", before);
                messages.Parameters.AddWithValue("$bot", (object?)bot ?? DBNull.Value);
                await messages.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            using var conversations = SqliteDatabase.Command(connection, transaction, $"DELETE FROM conversations WHERE id IN ({Old});");
            conversations.Parameters.AddWithValue("$before", before);
            conversations.Parameters.AddWithValue("$bot", (object?)bot ?? DBNull.Value);
            return await conversations.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Releases the pooled connections to the file, so it can be moved or deleted.</summary>
    public void Dispose() => _database.Dispose();

    /// <summary>Releases the pooled connections to the file, so it can be moved or deleted.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static string? PreviewOf(string payload)
    {
        try
        {
            return SqliteRows.Preview(SqliteRows.DeserializeMessage(payload).Text);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            // A listing should not fail on one unreadable row; GetAsync reports it.
            return null;
        }
    }

    private ConversationStoreException Missing(string id, string action) =>
        new($"Could not {action} conversation '{id}': there is no conversation with that id in '{_path}'. List conversations to find its id, or create it first.");
}
