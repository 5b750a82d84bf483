namespace Parley.Retrieval.Indexing;

/// <summary>
/// An exclusive lock on an index folder, held while it is built or read, so that two processes (or two bots in one)
/// never swap it under each other: the file <c>&lt;index&gt;.lock</c> next to the folder, opened without sharing.
/// </summary>
/// <remarks>
/// On Linux and macOS .NET takes an advisory <c>flock</c> for <see cref="FileShare.None"/>, which other .NET processes
/// respect; the file itself is never deleted, so there is no race between deleting and re-creating it.
/// </remarks>
internal sealed class IndexLock : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    private readonly FileStream? _file;

    private IndexLock(FileStream? file) => _file = file;

    /// <summary>Waits until the lock of <paramref name="indexFolder"/> is free and takes it.</summary>
    /// <param name="indexFolder">The index folder (full path, no trailing separator).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<IndexLock> AcquireAsync(string indexFolder, CancellationToken cancellationToken)
    {
        var path = indexFolder + ".lock";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (UnauthorizedAccessException)
        {
            return new IndexLock(null);
        }

        while (true)
        {
            try
            {
                return new IndexLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (File.Exists(path))
            {
                await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
            }
            catch (UnauthorizedAccessException)
            {
                // A read-only location: nothing can rebuild the index there, so reading it needs no lock.
                return new IndexLock(null);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file?.Dispose();
}
