namespace Parley.Core.Runs;

/// <summary>Stores training runs for listing and comparison.</summary>
public interface IRunStore
{
    /// <summary>Saves a run, replacing a run with the same id.</summary>
    Task SaveAsync(RunRecord run, CancellationToken cancellationToken = default);

    /// <summary>Loads a run, or null when there is none with that id.</summary>
    Task<RunRecord?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Lists runs, newest first.</summary>
    /// <param name="kind">Only runs of this kind, or all when null.</param>
    /// <param name="limit">The maximum number of runs.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    Task<IReadOnlyList<RunRecord>> ListAsync(string? kind = null, int limit = 50, CancellationToken cancellationToken = default);
}
