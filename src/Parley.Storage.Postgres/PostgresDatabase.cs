using Npgsql;
using Parley.Core.Conversations;

namespace Parley.Storage.Postgres;

/// <summary>
/// The plumbing under the PostgreSQL stores: a pooled data source, the schema brought up to date on first use, one
/// transaction per call, and Npgsql failures turned into <see cref="ConversationStoreException"/>s that name the
/// database without its password.
/// </summary>
internal sealed class PostgresDatabase : IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private volatile bool _initialized;

    public PostgresDatabase(PostgresStoreOptions options)
    {
        var connectionString = PostgresConnectionString.Normalize(options.ConnectionString);
        Description = PostgresConnectionString.Describe(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>The database as messages name it: no password.</summary>
    public string Description { get; }

    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql) =>
        new(sql, connection, transaction);

    /// <summary>Runs <paramref name="work"/> in one transaction on a pooled connection and commits it.</summary>
    /// <param name="action">What is done, completing "Could not …", for messages.</param>
    /// <param name="work">The work.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public async Task<T> RunAsync<T>(string action, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            T result = await work(connection, transaction).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (NpgsqlException ex) when (ex.InnerException is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Wrap(ex, action);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a pooled connection without an explicit transaction, for work that sends its
    /// statements as one <see cref="NpgsqlBatch"/>: PostgreSQL runs a batch as one implicit transaction (all or
    /// nothing) in one round trip, where BEGIN … COMMIT costs a round trip more per call.
    /// </summary>
    /// <param name="action">What is done, completing "Could not …", for messages.</param>
    /// <param name="work">The work.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public async Task<T> RunBatchAsync<T>(string action, Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            return await work(connection).ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (ex.InnerException is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Wrap(ex, action);
        }
    }

    /// <summary>Opens a pooled connection after bringing the schema up to date (once per store).</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_initialized)
        {
            await InitializeAsync(cancellationToken).ConfigureAwait(false);
        }

        return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    public ConversationStoreException Wrap(NpgsqlException exception, string action)
    {
        string cause = exception switch
        {
            PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } =>
                $"{Description} refused the login ({exception.Message}). Check the user name and password of the connection string.",
            PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } =>
                $"{Description} does not exist. Create it (createdb) or fix the connection string.",
            PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } =>
                $"{Description}: the user may not do this ({exception.Message}). Grant it the rights on the database, or use another user.",
            PostgresException postgres => $"{Description} reported an error: {postgres.MessageText} (SQLSTATE {postgres.SqlState}).",
            _ => $"{Description} cannot be reached ({exception.Message}). Check that PostgreSQL runs and the host and port of the connection string.",
        };
        return new ConversationStoreException($"Could not {action}: {cause}", exception);
    }

    public void Dispose() => _dataSource.Dispose();

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _initGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
            {
                await PostgresSchema.EnsureAsync(connection, Description, cancellationToken).ConfigureAwait(false);
            }

            _initialized = true;
        }
        catch (NpgsqlException ex)
        {
            throw Wrap(ex, "open the Parley database");
        }
        finally
        {
            _initGate.Release();
        }
    }
}
