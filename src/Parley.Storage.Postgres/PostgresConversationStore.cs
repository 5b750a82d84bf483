using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Parley.Core.Conversations;

namespace Parley.Storage.Postgres;

/// <summary>
/// An <see cref="IConversationStore"/> in PostgreSQL, shared by several servers: appends to one conversation are
/// serialized by a lock on its row, so each append's messages follow the last ones stored, whichever server wrote them.
/// </summary>
/// <remarks>
/// Messages are stored as the same JSON as in the SQLite store (<see cref="ConversationRows"/>). Timestamps are kept
/// in whole microseconds (PostgreSQL's precision). The schema is created or migrated on first use (see
/// <see cref="PostgresStoreOptions"/>); a schema newer than this code knows is refused with a
/// <see cref="ConversationStoreException"/>.
/// </remarks>
public sealed class PostgresConversationStore : IConversationStore, IDisposable, IAsyncDisposable
{
    private const int MaxGeneratedIdAttempts = 3;
    private readonly PostgresDatabase _database;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a store for the database in <paramref name="options"/>; nothing is opened until the first call.</summary>
    /// <param name="options">The options; validated and read once here.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public PostgresConversationStore(PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _timeProvider = options.TimeProvider;
        _database = new PostgresDatabase(options);
    }

    /// <summary>The database as messages name it (host, port, database, user; never the password).</summary>
    public string Description => _database.Description;

    /// <inheritdoc />
    public async Task<Conversation> CreateAsync(string bot, string? id = null, string? owner = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bot);
        if (id is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(id);
        }

        var now = PostgresRows.Truncate(_timeProvider.GetUtcNow());
        for (int attempt = 1; ; attempt++)
        {
            string candidate = id ?? ConversationRows.NewId();
            bool created = await _database.RunAsync($"create a conversation for bot '{bot}'", async (connection, transaction) =>
            {
                await using var command = PostgresDatabase.Command(connection, transaction, """
                    INSERT INTO conversations (id, bot, system_prompt, created, updated, owner) VALUES ($1, $2, NULL, $3, $3, $4)
                    ON CONFLICT (id) DO NOTHING;
                    """);
                command.Parameters.AddWithValue(candidate);
                command.Parameters.AddWithValue(bot);
                command.Parameters.AddWithValue(now);
                command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)owner ?? DBNull.Value });
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
            }, cancellationToken).ConfigureAwait(false);
            if (created)
            {
                return new Conversation(candidate, bot, now, now) { Owner = owner };
            }

            if (id is not null)
            {
                throw new ConversationStoreException(
                    $"Could not create conversation '{id}': a conversation with that id already exists in {_database.Description}. Resume it, or choose another id.");
            }

            if (attempt == MaxGeneratedIdAttempts)
            {
                throw new ConversationStoreException($"Could not create a conversation for bot '{bot}': {MaxGeneratedIdAttempts} generated ids were all taken in {_database.Description}.");
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ConversationStoreException">The database cannot be read, or a stored message cannot be deserialized.</exception>
    public Task<Conversation?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);

        // The conversation, its messages and its events in one batch: one round trip.
        return _database.RunBatchAsync($"load conversation '{id}'", async connection =>
        {
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    Select("SELECT bot, system_prompt, created, updated, owner, title FROM conversations WHERE id = $1;", id),
                    Select("SELECT seq, payload, incomplete, timestamp FROM messages WHERE conversation_id = $1 ORDER BY seq;", id),
                    Select("SELECT seq, kind, detail, data, after_messages, timestamp FROM conversation_events WHERE conversation_id = $1 ORDER BY seq;", id),
                },
            };
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var conversation = new Conversation(id, reader.GetString(0), PostgresRows.Timestamp(reader, 2), PostgresRows.Timestamp(reader, 3))
            {
                SystemPrompt = PostgresRows.NullableString(reader, 1),
                Owner = PostgresRows.NullableString(reader, 4),
                Title = PostgresRows.NullableString(reader, 5),
            };

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                long seq = reader.GetInt64(0);
                try
                {
                    var message = ConversationRows.DeserializeMessage(reader.GetString(1));
                    conversation.Messages.Add(new StoredMessage(message, PostgresRows.Timestamp(reader, 3), reader.GetBoolean(2)));
                }
                catch (Exception ex) when (ex is JsonException or NotSupportedException or FormatException)
                {
                    throw new ConversationStoreException(
                        $"Could not load conversation '{id}': message {seq} in {_database.Description} cannot be read ({ex.Message}). " +
                        "It may have been written by a newer Parley or edited by hand; upgrade Parley or delete the conversation.", ex);
                }
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    var data = reader.IsDBNull(3) ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(3));
                    conversation.Events.Add(new ConversationEvent(reader.GetString(1), PostgresRows.Timestamp(reader, 5), PostgresRows.NullableString(reader, 2), data)
                    {
                        AfterMessages = reader.GetInt32(4),
                    });
                }
                catch (JsonException ex)
                {
                    throw new ConversationStoreException(
                        $"Could not load conversation '{id}': event {reader.GetInt64(0)} in {_database.Description} cannot be read ({ex.Message}). " +
                        "It may have been written by a newer Parley or edited by hand; upgrade Parley or delete the conversation.", ex);
                }
            }

            return (Conversation?)conversation;
        }, cancellationToken);

        static NpgsqlBatchCommand Select(string sql, string id) => new(sql) { Parameters = { new NpgsqlParameter { Value = id } } };
    }

    /// <inheritdoc />
    /// <remarks>
    /// All messages are serialized first and inserted in one transaction that first locks the conversation's row, so
    /// concurrent appends (from this server or another) queue and each continues the numbering where the one before
    /// ended. On any failure none is stored and the timestamp is unchanged.
    /// </remarks>
    /// <exception cref="ConversationStoreException">
    /// The conversation does not exist, a message cannot be serialized, or the database cannot be written.
    /// </exception>
    public Task AppendAsync(string id, IEnumerable<StoredMessage> messages, CancellationToken cancellationToken = default) =>
        AppendAsync(id, messages, [], cancellationToken);

    /// <inheritdoc />
    /// <remarks>Messages, then events, in one transaction under the conversation's row lock; on any failure none is stored.</remarks>
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
            : (e.Kind, e.Detail, Data: e.Data is { Count: > 0 } ? JsonSerializer.Serialize(e.Data) : null, Timestamp: PostgresRows.Truncate(e.Timestamp)))
            .ToList();
        var rows = new List<(string Role, string? Author, string Payload, bool Incomplete, DateTimeOffset Timestamp)>();
        foreach (StoredMessage stored in messages)
        {
            if (stored?.Message is null)
            {
                throw new ArgumentException($"Message {rows.Count + 1} is null.", nameof(messages));
            }

            string payload;
            try
            {
                payload = ConversationRows.SerializeMessage(stored.Message);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
            {
                throw new ConversationStoreException(
                    $"Could not append to conversation '{id}': message {rows.Count + 1} cannot be serialized to JSON ({ex.Message}). " +
                    "Nothing was appended. Register custom AIContent types with AIJsonUtilities.AddAIContentType and keep AdditionalProperties to JSON-serializable values.", ex);
            }

            rows.Add((stored.Message.Role.Value.ToLowerInvariant(), stored.Message.AuthorName, payload, stored.Incomplete, PostgresRows.Truncate(stored.Timestamp)));
        }

        if (rows.Count + eventRows.Count == 0)
        {
            await _database.RunBatchAsync($"append to conversation '{id}'", async connection =>
            {
                await using var exists = new NpgsqlCommand("SELECT 1 FROM conversations WHERE id = $1;", connection) { Parameters = { new() { Value = id } } };
                return await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null ? throw Missing(id, "append to") : 0;
            }, cancellationToken).ConfigureAwait(false);
            return;
        }

        // One batch, one round trip, one implicit transaction: the UPDATE takes the conversation's row lock, so appends
        // to one conversation (from this server or another) take turns; under READ COMMITTED each later statement sees
        // what the append before committed, so the numbering continues where it ended. A missing conversation makes
        // the first INSERT break its foreign key, and the whole batch is rolled back.
        var batch = new NpgsqlBatch
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("UPDATE conversations SET updated = $2 WHERE id = $1;")
                {
                    Parameters = { new() { Value = id }, new() { Value = PostgresRows.Truncate(_timeProvider.GetUtcNow()) } },
                },
            },
        };
        if (rows.Count > 0)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                INSERT INTO messages (conversation_id, seq, role, author, payload, incomplete, timestamp)
                SELECT $1, (SELECT COALESCE(MAX(seq), -1) FROM messages WHERE conversation_id = $1) + n, role, author, payload, incomplete, ts
                FROM unnest($2::text[], $3::text[], $4::text[], $5::boolean[], $6::timestamptz[]) WITH ORDINALITY AS m(role, author, payload, incomplete, ts, n);
                """)
            {
                Parameters =
                {
                    new() { Value = id },
                    new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = rows.Select(r => r.Role).ToArray() },
                    new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = rows.Select(r => (object?)r.Author ?? DBNull.Value).ToArray() },
                    new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = rows.Select(r => r.Payload).ToArray() },
                    new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean, Value = rows.Select(r => r.Incomplete).ToArray() },
                    new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, Value = rows.Select(r => r.Timestamp).ToArray() },
                },
            });
        }

        if (eventRows.Count > 0)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                INSERT INTO conversation_events (conversation_id, seq, kind, detail, data, after_messages, timestamp)
                SELECT $1, (SELECT COALESCE(MAX(seq), -1) FROM conversation_events WHERE conversation_id = $1) + n, kind, detail, data,
                       (SELECT COUNT(*) FROM messages WHERE conversation_id = $1), ts
                FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[]) WITH ORDINALITY AS e(kind, detail, data, ts, n);
                """)
            {
                Parameters =
                {
                    new() { Value = id },
                    new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = eventRows.Select(e => e.Kind).ToArray() },
                    new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = eventRows.Select(e => (object?)e.Detail ?? DBNull.Value).ToArray() },
                    new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = eventRows.Select(e => (object?)e.Data ?? DBNull.Value).ToArray() },
                    new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, Value = eventRows.Select(e => e.Timestamp).ToArray() },
                },
            });
        }

        await using (batch)
        {
            await _database.RunBatchAsync($"append to conversation '{id}'", async connection =>
            {
                batch.Connection = connection;
                try
                {
                    await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
                {
                    throw Missing(id, "append to");
                }

                return 0;
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task SetSystemPromptAsync(string id, string? systemPrompt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        await _database.RunAsync($"set the system prompt of conversation '{id}'", async (connection, transaction) =>
        {
            await using var command = PostgresDatabase.Command(connection, transaction, "UPDATE conversations SET system_prompt = $2 WHERE id = $1;");
            command.Parameters.AddWithValue(id);
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)systemPrompt ?? DBNull.Value });
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0
                ? throw Missing(id, "set the system prompt of")
                : 1;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task SetTitleAsync(string id, string? title, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        await _database.RunAsync($"set the title of conversation '{id}'", async (connection, transaction) =>
        {
            await using var command = PostgresDatabase.Command(connection, transaction, "UPDATE conversations SET title = $2 WHERE id = $1;");
            command.Parameters.AddWithValue(id);
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)title ?? DBNull.Value });
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0
                ? throw Missing(id, "set the title of")
                : 1;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ConversationSummary>> ListAsync(string? bot = null, int limit = 50, CancellationToken cancellationToken = default) =>
        ListPageAsync(bot, limit, after: null, owner: null, cancellationToken);

    /// <inheritdoc />
    /// <remarks>A keyset query on (updated, created, id), the order of the SQLite store.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not positive.</exception>
    public Task<IReadOnlyList<ConversationSummary>> ListPageAsync(string? bot, int limit, string? after, string? owner = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return _database.RunAsync("list conversations", async (connection, transaction) =>
        {
            await using var command = PostgresDatabase.Command(connection, transaction, """
                SELECT c.id, c.bot, c.created, c.updated,
                       (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id),
                       (SELECT m.payload FROM messages m WHERE m.conversation_id = c.id AND m.role = 'user' ORDER BY m.seq LIMIT 1),
                       c.title, c.owner
                FROM conversations c
                LEFT JOIN conversations a ON a.id = $2
                WHERE ($1::text IS NULL OR c.bot = $1)
                  AND ($4::text IS NULL OR c.owner = $4)
                  AND ($2::text IS NULL OR (a.id IS NOT NULL AND (c.updated < a.updated
                       OR (c.updated = a.updated AND (c.created < a.created OR (c.created = a.created AND c.id COLLATE "C" > a.id COLLATE "C"))))))
                ORDER BY c.updated DESC, c.created DESC, c.id COLLATE "C"
                LIMIT $3;
                """);
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)bot ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)after ?? DBNull.Value });
            command.Parameters.AddWithValue(limit);
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)owner ?? DBNull.Value });
            var summaries = new List<ConversationSummary>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                summaries.Add(new ConversationSummary(
                    reader.GetString(0),
                    reader.GetString(1),
                    PostgresRows.Timestamp(reader, 2),
                    PostgresRows.Timestamp(reader, 3),
                    (int)reader.GetInt64(4),
                    reader.IsDBNull(5) ? null : PreviewOf(reader.GetString(5)),
                    PostgresRows.NullableString(reader, 6),
                    PostgresRows.NullableString(reader, 7)));
            }

            return (IReadOnlyList<ConversationSummary>)summaries;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return _database.RunAsync($"delete conversation '{id}'", async (connection, transaction) =>
        {
            // Messages and events go with their conversation (ON DELETE CASCADE).
            await using var command = PostgresDatabase.Command(connection, transaction, "DELETE FROM conversations WHERE id = $1;");
            command.Parameters.AddWithValue(id);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);
    }

    /// <summary>Deletes the sessions (and their messages) last active before <paramref name="cutoff"/>.</summary>
    /// <param name="cutoff">Sessions updated before this moment are deleted.</param>
    /// <param name="bot">Only this bot's sessions, or null for every bot's.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>How many sessions were deleted.</returns>
    /// <exception cref="ConversationStoreException">The database cannot be written.</exception>
    public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, string? bot = null, CancellationToken cancellationToken = default) =>
        _database.RunAsync($"delete sessions last active before {cutoff.UtcDateTime:O}", async (connection, transaction) =>
        {
            await using var command = PostgresDatabase.Command(connection, transaction, "DELETE FROM conversations WHERE updated < $1 AND ($2::text IS NULL OR bot = $2);");
            command.Parameters.AddWithValue(cutoff.ToUniversalTime());
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)bot ?? DBNull.Value });
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Closes the store's pooled connections.</summary>
    public void Dispose() => _database.Dispose();

    /// <summary>Closes the store's pooled connections.</summary>
    /// <returns>A task that completes when they are closed.</returns>
    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private static string? PreviewOf(string payload)
    {
        try
        {
            return ConversationRows.Preview(ConversationRows.DeserializeMessage(payload).Text);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            // A listing should not fail on one unreadable row; GetAsync reports it.
            return null;
        }
    }

    private ConversationStoreException Missing(string id, string action) =>
        new($"Could not {action} conversation '{id}': there is no conversation with that id in {_database.Description}. List conversations to find its id, or create it first.");
}
