using Npgsql;
using Parley.Core.Conversations;

namespace Parley.Storage.Postgres;

/// <summary>
/// Conversation locks shared by every server on one PostgreSQL database: a transaction-scoped advisory lock on a hash
/// of the conversation id, held on a connection of its own for the length of the turn. A server that dies loses its
/// connection, and PostgreSQL releases its locks with it.
/// </summary>
public sealed class PostgresConversationLocks : IConversationLocks, IDisposable, IAsyncDisposable
{
    private readonly PostgresDatabase _database;

    /// <summary>Creates the locks for the database in <paramref name="options"/>; nothing is opened until the first call.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public PostgresConversationLocks(PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _database = new PostgresDatabase(options);
    }

    /// <inheritdoc />
    public async Task<IDisposable> AcquireAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        NpgsqlConnection? connection = null;
        NpgsqlTransaction? transaction = null;
        try
        {
            connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('parley.conversation:' || $1, 0));", connection, transaction);
            command.Parameters.AddWithValue(conversationId);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return new Lease(connection, transaction);
        }
        catch (Exception ex)
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }

            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            if (ex is NpgsqlException npgsql && !cancellationToken.IsCancellationRequested)
            {
                throw _database.Wrap(npgsql, $"lock conversation '{conversationId}'");
            }

            throw;
        }
    }

    /// <summary>Closes the pooled connections.</summary>
    public void Dispose() => _database.Dispose();

    /// <summary>Closes the pooled connections.</summary>
    /// <returns>A task that completes when they are closed.</returns>
    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private sealed class Lease(NpgsqlConnection connection, NpgsqlTransaction transaction) : IDisposable
    {
        private int _released;

        // Ending the transaction releases the lock; a broken connection releases it on the server's side anyway.
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                try
                {
                    transaction.Rollback();
                }
                catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
                {
                }
                finally
                {
                    transaction.Dispose();
                    connection.Dispose();
                }
            }
        }
    }
}
