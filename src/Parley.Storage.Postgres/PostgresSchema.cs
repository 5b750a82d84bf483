using Npgsql;
using Parley.Core.Conversations;

namespace Parley.Storage.Postgres;

/// <summary>
/// The versioned schema of the PostgreSQL stores. Its version lives in the one-row table <c>parley_schema</c>;
/// migrations run in one transaction under a transaction-scoped advisory lock, so servers that start at the same time
/// take turns and the later ones find the work done.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The advisory lock key the migrations hold: "PARLEY" in ASCII.</summary>
    public const long MigrationLockKey = 0x5041524C4559;

    /// <summary>The migrations in order; the schema version is the number applied.</summary>
    public static readonly IReadOnlyList<string> Migrations =
    [
        // 1: conversations and messages, training runs, the calendar of the calendar tools. Messages are text, not
        // jsonb: jsonb reorders keys, and the "$type" of AIContent must stay first.
        """
        CREATE TABLE conversations (
            id            text PRIMARY KEY,
            bot           text NOT NULL,
            system_prompt text NULL,
            created       timestamptz NOT NULL,
            updated       timestamptz NOT NULL
        );
        CREATE INDEX ix_conversations_updated ON conversations (updated DESC, created DESC, id);
        CREATE INDEX ix_conversations_bot_updated ON conversations (bot, updated DESC, created DESC, id);
        CREATE TABLE messages (
            conversation_id text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
            seq             bigint NOT NULL,
            role            text NOT NULL,
            author          text NULL,
            payload         text NOT NULL,
            incomplete      boolean NOT NULL DEFAULT false,
            timestamp       timestamptz NOT NULL,
            PRIMARY KEY (conversation_id, seq)
        );
        CREATE TABLE runs (
            id          text PRIMARY KEY,
            kind        text NOT NULL,
            created     timestamptz NOT NULL,
            data_hash   text NULL,
            model_path  text NULL,
            parameters  json NOT NULL,
            history     json NOT NULL,
            metrics     json NOT NULL
        );
        CREATE INDEX ix_runs_created ON runs (created DESC, id);
        CREATE TABLE calendar_events (
            calendar   text NOT NULL,
            id         bigint NOT NULL,
            title      text NOT NULL,
            start_at   timestamptz NOT NULL,
            end_at     timestamptz NOT NULL,
            time_zone  text NOT NULL,
            PRIMARY KEY (calendar, id)
        );
        CREATE INDEX ix_calendar_events_start ON calendar_events (calendar, start_at);
        """,

        // 2: conversation events (handoffs, rules that fired, webhook outcomes).
        """
        CREATE TABLE conversation_events (
            conversation_id text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
            seq             bigint NOT NULL,
            kind            text NOT NULL,
            detail          text NULL,
            data            text NULL,
            after_messages  integer NOT NULL,
            timestamp       timestamptz NOT NULL,
            PRIMARY KEY (conversation_id, seq)
        );
        """,

        // 3: rate-limit windows shared by the servers (clients as SHA-256 hashes).
        """
        CREATE TABLE rate_limit_windows (
            client        bytea NOT NULL,
            window_start  timestamptz NOT NULL,
            requests      bigint NOT NULL,
            PRIMARY KEY (client, window_start)
        );
        """,

        // 4: the fine-tuning API's records and job queue (PostgresFineTuningStore): files' metadata, jobs with their
        // owner and lease (claimed with FOR UPDATE SKIP LOCKED), their events and checkpoints. Data stays text: json
        // objects as the API shows them, in their key order. Self-contained: it touches no table of another migration.
        """
        CREATE TABLE fine_tuning_files (
            id          text PRIMARY KEY,
            owner       text NULL,
            created_at  bigint NOT NULL,
            data        text NOT NULL
        );
        CREATE INDEX ix_fine_tuning_files_created ON fine_tuning_files (created_at DESC, id);
        CREATE TABLE fine_tuning_jobs (
            seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id             text NOT NULL UNIQUE,
            owner          text NULL,
            status         text NOT NULL,
            created_at     bigint NOT NULL,
            data           text NOT NULL,
            lease_holder   text NULL,
            lease_expires  timestamptz NULL,
            attempts       integer NOT NULL DEFAULT 0
        );
        CREATE INDEX ix_fine_tuning_jobs_active ON fine_tuning_jobs (seq) WHERE status IN ('validating_files', 'queued', 'running');
        CREATE TABLE fine_tuning_events (
            seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            job_id      text NOT NULL REFERENCES fine_tuning_jobs (id) ON DELETE CASCADE,
            id          text NOT NULL,
            created_at  bigint NOT NULL,
            data        text NOT NULL
        );
        CREATE INDEX ix_fine_tuning_events_job ON fine_tuning_events (job_id, seq);
        CREATE TABLE fine_tuning_checkpoints (
            seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            job_id      text NOT NULL REFERENCES fine_tuning_jobs (id) ON DELETE CASCADE,
            id          text NOT NULL,
            created_at  bigint NOT NULL,
            data        text NOT NULL
        );
        CREATE INDEX ix_fine_tuning_checkpoints_job ON fine_tuning_checkpoints (job_id, seq);
        """,

        // 5: a conversation's title (renamed in the web app) and owner (the API key that made it, as an owner id).
        """
        ALTER TABLE conversations ADD COLUMN title text NULL;
        ALTER TABLE conversations ADD COLUMN owner text NULL;
        CREATE INDEX ix_conversations_owner_updated ON conversations (owner, updated DESC, created DESC, id);
        """,
    ];

    /// <summary>
    /// The way back from each version to the one before (index 0 undoes migration 2; migration 1 is not undone), for a
    /// downgrade of Parley: what the later migrations added is dropped with its data.
    /// </summary>
    public static readonly IReadOnlyList<string> Downgrades =
    [
        "DROP TABLE IF EXISTS conversation_events;",
        "DROP TABLE IF EXISTS rate_limit_windows;",
        "DROP TABLE IF EXISTS fine_tuning_checkpoints; DROP TABLE IF EXISTS fine_tuning_events; DROP TABLE IF EXISTS fine_tuning_jobs; DROP TABLE IF EXISTS fine_tuning_files;",
        "DROP INDEX IF EXISTS ix_conversations_owner_updated; ALTER TABLE conversations DROP COLUMN IF EXISTS owner; ALTER TABLE conversations DROP COLUMN IF EXISTS title;",
    ];

    /// <summary>The schema version this code writes and reads.</summary>
    public static int CurrentVersion => Migrations.Count;

    /// <summary>
    /// Brings the schema up to <see cref="CurrentVersion"/>, or refuses a database whose version is newer than that.
    /// </summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="description">The database as messages name it.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The version found before migrating (0 for a new database).</returns>
    /// <exception cref="ConversationStoreException">The schema is newer than this code knows.</exception>
    public static async Task<int> EnsureAsync(NpgsqlConnection connection, string description, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLockKey});", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS parley_schema (
                singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
                version   integer NOT NULL,
                migrated  timestamptz NOT NULL DEFAULT now()
            );
            """, cancellationToken).ConfigureAwait(false);
        int found;
        await using (var read = new NpgsqlCommand("SELECT version FROM parley_schema;", connection, transaction))
        {
            found = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int version ? version : 0;
        }

        if (found > CurrentVersion)
        {
            throw new ConversationStoreException(
                $"The Parley schema in {description} is version {found}, newer than this Parley knows (version {CurrentVersion}): " +
                "a newer Parley migrated it. Upgrade this server to the version the others run; it will not write to a schema it does not know.");
        }

        for (int version = found + 1; version <= CurrentVersion; version++)
        {
            await ExecuteAsync(connection, transaction, Migrations[version - 1], cancellationToken).ConfigureAwait(false);
        }

        if (found < CurrentVersion)
        {
            await using var write = new NpgsqlCommand("""
                INSERT INTO parley_schema (singleton, version) VALUES (true, $1)
                ON CONFLICT (singleton) DO UPDATE SET version = excluded.version, migrated = now();
                """, connection, transaction);
            write.Parameters.AddWithValue(CurrentVersion);
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return found;
    }

    /// <summary>
    /// Takes the schema down to <paramref name="targetVersion"/> (at least 1) in one transaction, under the migration
    /// lock, dropping what later versions added; for going back to an older Parley.
    /// </summary>
    public static async Task DowngradeAsync(NpgsqlConnection connection, int targetVersion, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetVersion, 1);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLockKey});", cancellationToken).ConfigureAwait(false);
        int version;
        await using (var read = new NpgsqlCommand("SELECT version FROM parley_schema;", connection, transaction))
        {
            version = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int found ? found : 0;
        }

        for (; version > targetVersion; version--)
        {
            await ExecuteAsync(connection, transaction, Downgrades[version - 2], cancellationToken).ConfigureAwait(false);
        }

        await using (var write = new NpgsqlCommand("UPDATE parley_schema SET version = $1, migrated = now();", connection, transaction))
        {
            write.Parameters.AddWithValue(version);
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
