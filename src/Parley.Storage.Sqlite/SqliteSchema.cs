using Microsoft.Data.Sqlite;
using Parley.Core.Conversations;

namespace Parley.Storage.Sqlite;

/// <summary>Creates and checks the database schema; its version lives in <c>PRAGMA user_version</c>.</summary>
internal static class SqliteSchema
{
    /// <summary>The schema version this code writes and reads.</summary>
    public const int CurrentVersion = 6;

    private const string CreateV1 = """
        CREATE TABLE IF NOT EXISTS conversations (
            id            TEXT NOT NULL PRIMARY KEY,
            bot           TEXT NOT NULL,
            system_prompt TEXT NULL,
            created       TEXT NOT NULL,
            updated       TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_conversations_updated ON conversations (updated DESC);
        CREATE INDEX IF NOT EXISTS ix_conversations_bot_updated ON conversations (bot, updated DESC);
        CREATE TABLE IF NOT EXISTS messages (
            conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
            seq             INTEGER NOT NULL,
            role            TEXT NOT NULL,
            author          TEXT NULL,
            payload         TEXT NOT NULL,
            incomplete      INTEGER NOT NULL DEFAULT 0 CHECK (incomplete IN (0, 1)),
            timestamp       TEXT NOT NULL,
            PRIMARY KEY (conversation_id, seq)
        );
        PRAGMA user_version = 1;
        """;

    // Version 2 adds training runs (parley nlu train → parley runs list/show/compare).
    private const string MigrateV1ToV2 = """
        CREATE TABLE IF NOT EXISTS runs (
            id          TEXT NOT NULL PRIMARY KEY,
            kind        TEXT NOT NULL,
            created     TEXT NOT NULL,
            data_hash   TEXT NULL,
            model_path  TEXT NULL,
            parameters  TEXT NOT NULL,
            history     TEXT NOT NULL,
            metrics     TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_runs_created ON runs (created DESC);
        PRAGMA user_version = 2;
        """;

    // Version 3 adds the calendar of the calendar tools (SqliteCalendarStore).
    private const string MigrateV2ToV3 = """
        CREATE TABLE IF NOT EXISTS calendar_events (
            calendar   TEXT NOT NULL,
            id         TEXT NOT NULL,
            title      TEXT NOT NULL,
            start      TEXT NOT NULL,
            end        TEXT NOT NULL,
            time_zone  TEXT NOT NULL,
            PRIMARY KEY (calendar, id)
        );
        CREATE INDEX IF NOT EXISTS ix_calendar_events_start ON calendar_events (calendar, start);
        PRAGMA user_version = 3;
        """;

    // Version 4 adds conversation events (handoffs, rules that fired, webhook outcomes).
    private const string MigrateV3ToV4 = """
        CREATE TABLE IF NOT EXISTS conversation_events (
            conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
            seq             INTEGER NOT NULL,
            kind            TEXT NOT NULL,
            detail          TEXT NULL,
            data            TEXT NULL,
            after_messages  INTEGER NOT NULL,
            timestamp       TEXT NOT NULL,
            PRIMARY KEY (conversation_id, seq)
        );
        PRAGMA user_version = 4;
        """;

    // Version 5 adds the fine-tuning API's records and job queue (SqliteFineTuningStore): files' metadata, jobs with
    // their owner and lease, their events and checkpoints. Self-contained: it touches no table of another version.
    private const string MigrateV4ToV5 = """
        CREATE TABLE IF NOT EXISTS fine_tuning_files (
            id          TEXT NOT NULL PRIMARY KEY,
            owner       TEXT NULL,
            created_at  INTEGER NOT NULL,
            data        TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_fine_tuning_files_created ON fine_tuning_files (created_at DESC, id);
        CREATE TABLE IF NOT EXISTS fine_tuning_jobs (
            seq            INTEGER PRIMARY KEY AUTOINCREMENT,
            id             TEXT NOT NULL UNIQUE,
            owner          TEXT NULL,
            status         TEXT NOT NULL,
            created_at     INTEGER NOT NULL,
            data           TEXT NOT NULL,
            lease_holder   TEXT NULL,
            lease_expires  TEXT NULL,
            attempts       INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS ix_fine_tuning_jobs_status ON fine_tuning_jobs (status, seq);
        CREATE TABLE IF NOT EXISTS fine_tuning_events (
            seq         INTEGER PRIMARY KEY AUTOINCREMENT,
            job_id      TEXT NOT NULL REFERENCES fine_tuning_jobs (id) ON DELETE CASCADE,
            id          TEXT NOT NULL,
            created_at  INTEGER NOT NULL,
            data        TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_fine_tuning_events_job ON fine_tuning_events (job_id, seq);
        CREATE TABLE IF NOT EXISTS fine_tuning_checkpoints (
            seq         INTEGER PRIMARY KEY AUTOINCREMENT,
            job_id      TEXT NOT NULL REFERENCES fine_tuning_jobs (id) ON DELETE CASCADE,
            id          TEXT NOT NULL,
            created_at  INTEGER NOT NULL,
            data        TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_fine_tuning_checkpoints_job ON fine_tuning_checkpoints (job_id, seq);
        PRAGMA user_version = 5;
        """;

    // Version 6 adds a conversation's title (renamed in the web app) and owner (the API key that made it, as an owner id).
    private const string MigrateV5ToV6 = """
        ALTER TABLE conversations ADD COLUMN title TEXT NULL;
        ALTER TABLE conversations ADD COLUMN owner TEXT NULL;
        CREATE INDEX IF NOT EXISTS ix_conversations_owner_updated ON conversations (owner, updated DESC);
        PRAGMA user_version = 6;
        """;

    // The way back, one version at a time, for a downgrade of Parley (see DowngradeAsync).
    private static readonly IReadOnlyDictionary<int, string> Downgrades = new Dictionary<int, string>
    {
        [6] = "DROP INDEX IF EXISTS ix_conversations_owner_updated; ALTER TABLE conversations DROP COLUMN owner; ALTER TABLE conversations DROP COLUMN title; PRAGMA user_version = 5;",
        [5] = "DROP TABLE IF EXISTS fine_tuning_checkpoints; DROP TABLE IF EXISTS fine_tuning_events; DROP TABLE IF EXISTS fine_tuning_jobs; DROP TABLE IF EXISTS fine_tuning_files; PRAGMA user_version = 4;",
        [4] = "DROP TABLE IF EXISTS conversation_events; PRAGMA user_version = 3;",
        [3] = "DROP TABLE IF EXISTS calendar_events; PRAGMA user_version = 2;",
        [2] = "DROP TABLE IF EXISTS runs; PRAGMA user_version = 1;",
    };

    /// <summary>
    /// Refuses a database of another version or another application, switches it to WAL and creates the schema
    /// when the file is new. Safe when several processes open the same new file at once.
    /// </summary>
    public static async Task EnsureAsync(SqliteConnection connection, string path, CancellationToken cancellationToken)
    {
        int version = await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
        if (version != CurrentVersion)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            version = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            if (version == 0)
            {
                await RefuseForeignDatabaseAsync(connection, transaction, path, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, CreateV1, cancellationToken).ConfigureAwait(false);
                version = 1;
            }

            if (version == 1)
            {
                await ExecuteAsync(connection, transaction, MigrateV1ToV2, cancellationToken).ConfigureAwait(false);
                version = 2;
            }

            if (version == 2)
            {
                await ExecuteAsync(connection, transaction, MigrateV2ToV3, cancellationToken).ConfigureAwait(false);
                version = 3;
            }

            if (version == 3)
            {
                await ExecuteAsync(connection, transaction, MigrateV3ToV4, cancellationToken).ConfigureAwait(false);
                version = 4;
            }

            if (version == 4)
            {
                await ExecuteAsync(connection, transaction, MigrateV4ToV5, cancellationToken).ConfigureAwait(false);
                version = 5;
            }

            if (version == 5)
            {
                await ExecuteAsync(connection, transaction, MigrateV5ToV6, cancellationToken).ConfigureAwait(false);
                transaction.Commit();
            }
            else if (version != CurrentVersion)
            {
                throw new ConversationStoreException(
                    $"The conversation database '{path}' has schema version {version}, which this version of Parley does not know " +
                    $"(it reads version {CurrentVersion}). If a newer Parley wrote it, upgrade Parley; otherwise point Parley at another database file.");
            }
        }

        // Outside the transaction: SQLite cannot change the journal mode inside one. WAL lets readers and a writer
        // in different processes work at the same time; it is stored in the file, so this is a no-op after the first time.
        await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes the schema down to <paramref name="targetVersion"/> (at least 1), dropping what later versions added, in one
    /// transaction; the data of those versions is lost. For going back to an older Parley.
    /// </summary>
    public static async Task DowngradeAsync(SqliteConnection connection, int targetVersion, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetVersion, 1);
        using var transaction = connection.BeginTransaction(deferred: false);
        var version = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        for (; version > targetVersion; version--)
        {
            await ExecuteAsync(connection, transaction, Downgrades[version], cancellationToken).ConfigureAwait(false);
        }

        transaction.Commit();
    }

    private static async Task<int> ReadVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task RefuseForeignDatabaseAsync(SqliteConnection connection, SqliteTransaction transaction, string path, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT name FROM sqlite_master
            WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name NOT IN ('conversations', 'messages', 'runs', 'calendar_events', 'conversation_events',
                'fine_tuning_files', 'fine_tuning_jobs', 'fine_tuning_events', 'fine_tuning_checkpoints')
            LIMIT 1;
            """;
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string table)
        {
            throw new ConversationStoreException(
                $"The file '{path}' is a SQLite database of another application (it has a table '{table}' and no Parley schema version). " +
                "Point Parley at another database file.");
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
