using Microsoft.Data.Sqlite;
using Parley.Core.Conversations;

namespace Parley.Storage.Sqlite;

/// <summary>
/// The plumbing under <see cref="SqliteConversationStore"/>: one pooled connection and one transaction per call,
/// schema set-up on first use, and SQLite errors turned into <see cref="ConversationStoreException"/>s.
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    private readonly string _path;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _initGate = new(1, 1);

    // SQLite allows one writer at a time; queueing this store's writes here keeps them in order and out of the
    // busy-wait loop, which is then needed only against other stores and processes.
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private volatile bool _initialized;
    private volatile bool _disposed;

    public SqliteDatabase(string path, TimeSpan busyTimeout)
    {
        _path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
            // Microsoft.Data.Sqlite retries a busy or locked database until the command timeout (whole seconds; 0 would
            // mean forever). It covers BEGIN IMMEDIATE too, so this is the busy timeout.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        }.ToString();
    }

    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    public Task<T> ReadAsync<T>(string action, Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(action, write: false, work, cancellationToken);

    public async Task<T> WriteAsync<T>(string action, Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunAsync(action, write: true, work, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    // One connection (from the pool) and one transaction per call: IMMEDIATE for writes, so the write lock is taken
    // up front and waited for under the busy timeout; deferred for reads, which see one consistent snapshot.
    private async Task<T> RunAsync<T>(string action, bool write, Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, typeof(SqliteConversationStore));
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            using var transaction = connection.BeginTransaction(deferred: !write);
            T result = await work(connection, transaction).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            transaction.Commit();
            return result;
        }
        catch (SqliteException ex)
        {
            throw SqliteErrors.Wrap(ex, _path, action);
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_initialized)
        {
            await InitializeAsync(cancellationToken).ConfigureAwait(false);
        }

        return await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _initGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw SqliteErrors.WrapIo(ex, _path, "open the conversation database");
            }

            using (var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
            {
                await SqliteSchema.EnsureAsync(connection, _path, cancellationToken).ConfigureAwait(false);
            }

            _initialized = true;
        }
        catch (SqliteException ex)
        {
            throw SqliteErrors.Wrap(ex, _path, "open the conversation database");
        }
        finally
        {
            _initGate.Release();
        }
    }

    /// <summary>Empties the connection pool of the file, so it can be moved or deleted.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
