namespace Parley.Server.Sessions;

/// <summary>
/// One turn at a time per session: concurrent requests on the same session wait for each other, so turns are stored
/// in the order they were answered and each one sees the history the one before left.
/// </summary>
internal sealed class SessionLocks
{
    private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);

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

        return new Lease(this, sessionId, gate);
    }

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

    private sealed class Lease(SessionLocks owner, string sessionId, Gate gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Semaphore.Release();
                owner.Leave(sessionId, gate);
            }
        }
    }
}
