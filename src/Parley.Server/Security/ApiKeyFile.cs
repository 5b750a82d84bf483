namespace Parley.Server.Security;

/// <summary>Reads API keys from a file: one key per line; blank lines and lines starting with <c>#</c> are skipped.</summary>
public static class ApiKeyFile
{
    /// <summary>Reads the keys in <paramref name="path"/>.</summary>
    /// <param name="path">The keys file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The keys, in file order, trimmed.</returns>
    /// <exception cref="ArgumentException">The file cannot be read; the message names it.</exception>
    public static async Task<IReadOnlyList<string>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string[] lines;
        try
        {
            lines = await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"cannot read the API keys file '{path}': {e.Message}", e);
        }

        return Keys(lines);
    }

    /// <summary>Reads the keys in <paramref name="path"/> (a small file, read while the server is being set up).</summary>
    /// <param name="path">The keys file.</param>
    /// <returns>The keys, in file order, trimmed.</returns>
    /// <exception cref="ArgumentException">The file cannot be read; the message names it.</exception>
    public static IReadOnlyList<string> Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        try
        {
            return Keys(File.ReadAllLines(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"cannot read the API keys file '{path}': {e.Message}", e);
        }
    }

    private static string[] Keys(IEnumerable<string> lines) => [.. lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
}
