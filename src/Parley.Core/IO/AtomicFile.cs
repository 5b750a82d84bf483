using System.Text;

namespace Parley.Core.IO;

/// <summary>
/// Writes files so that a reader never sees half of one, and a crash never loses one that was written: a temporary
/// file beside it, flushed to the disk, renamed over the target, and the folder flushed so the rename is kept.
/// </summary>
public static class AtomicFile
{
    /// <summary>The search pattern of the temporary files a write interrupted by a crash leaves beside a file: <c>.&lt;name&gt;.*.tmp</c>.</summary>
    public const string TemporaryPattern = ".*.tmp";

    /// <summary>Writes <paramref name="content"/> (UTF-8, no byte-order mark) to <paramref name="path"/>, creating its folder.</summary>
    /// <remarks>On failure the temporary file is removed and an existing file at <paramref name="path"/> is left as it was.</remarks>
    public static Task WriteAllTextAsync(string path, string content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return WriteAllBytesAsync(path, new UTF8Encoding(false).GetBytes(content), cancellationToken);
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>, creating its folder; durable once this returns.</summary>
    /// <remarks>On failure the temporary file is removed and an existing file at <paramref name="path"/> is left as it was.</remarks>
    public static async Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            DiskFlush.Folder(directory);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Moves the finished file <paramref name="source"/> to <paramref name="path"/> durably: its content is flushed
    /// before the rename and the folders after it.
    /// </summary>
    public static void MoveDurably(string source, string path, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        DiskFlush.File(source);
        File.Move(source, path, overwrite);
        DiskFlush.Folder(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var from = Path.GetDirectoryName(Path.GetFullPath(source))!;
        if (from != Path.GetDirectoryName(Path.GetFullPath(path)))
        {
            DiskFlush.Folder(from);
        }
    }
}
