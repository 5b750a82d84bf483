using Parley.Core.Conversations;
using Parley.Hosting;

namespace Parley.Server.Sessions;

/// <summary>
/// One turn at a time per session: concurrent requests on the same session wait for each other, so turns are stored
/// in the order they were answered and each one sees the history the one before left. On a database shared by several
/// servers (PostgreSQL) the turn also holds the database's lock of the session, taken after this server's own gate so
/// requests waiting here hold no connection.
/// </summary>
internal sealed class SessionLocks : IDisposable
{
    private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);
    private readonly IConversationLocks? _shared;

    /// <summary>Creates the gates; with <paramref name="database"/>, they also take its shared locks (if it has them).</summary>
    public SessionLocks(ParleyDatabase? database = null)
    {
        _shared = database?.OpenLocks();
    }

    /// <summary>The number of sessions with a turn running or waiting, for tests.</summary>
    public int Count
    {
        get
        {
            lock (_gates)
            {
                return _gates.Count;
            }
        }
    }

    /// <summary>Waits until no other turn of <paramref name="sessionId"/> runs; dispose the lease when the turn is done.</summary>
    public async Task<IDisposable> AcquireAsync(string sessionId, CancellationToken cancellationToken)
    {
        Gate gate;
        lock (_gates)
        {
            if (!_gates.TryGetValue(sessionId, out gate!))
            {
                gate = new Gate();
                _gates.Add(sessionId, gate);
            }

            gate.Users++;
        }

        try
        {
            await gate.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(sessionId, gate);
            throw;
        }

        IDisposable? shared = null;
        try
        {
            shared = _shared is null ? null : await _shared.AcquireAsync(sessionId, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            gate.Semaphore.Release();
            Leave(sessionId, gate);
            throw;
        }

        return new Lease(this, sessionId, gate, shared);
    }

    /// <summary>Closes the shared locks' connections.</summary>
    public void Dispose() => (_shared as IDisposable)?.Dispose();

    private void Leave(string sessionId, Gate gate)
    {
        lock (_gates)
        {
            if (--gate.Users == 0)
            {
                _gates.Remove(sessionId);
            }
        }
    }

    private sealed class Gate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Lease(SessionLocks owner, string sessionId, Gate gate, IDisposable? shared) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                shared?.Dispose();
                gate.Semaphore.Release();
                owner.Leave(sessionId, gate);
            }
        }
    }
}
