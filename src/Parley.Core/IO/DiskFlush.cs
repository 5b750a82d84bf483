using System.Runtime.InteropServices;

namespace Parley.Core.IO;

/// <summary>
/// Makes writes survive a power cut or a kill of the machine: <see cref="File"/> data and folder entries (a rename, a
/// new file) are pushed to the disk with <c>fsync</c>. Best effort where the platform has no such call for folders.
/// </summary>
public static class DiskFlush
{
    /// <summary>Flushes the content of the file at <paramref name="path"/> to the disk.</summary>
    public static void File(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (OperatingSystem.IsWindows())
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            stream.Flush(flushToDisk: true);
            return;
        }

        Sync(path);
    }

    /// <summary>
    /// Flushes the entries of the folder at <paramref name="path"/> (files created, renamed or removed in it) to the
    /// disk, so that a rename into it is not lost. Does nothing on Windows, where NTFS journals them and a folder
    /// cannot be opened for flushing.
    /// </summary>
    public static void Folder(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!OperatingSystem.IsWindows())
        {
            Sync(path);
        }
    }

    /// <summary>Flushes every file under <paramref name="folder"/>, then every folder from the deepest up, <paramref name="folder"/> included.</summary>
    public static void Tree(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            File(file);
        }

        foreach (var sub in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length))
        {
            Folder(sub);
        }

        Folder(folder);
    }

    private static void Sync(string path)
    {
        var fd = NativeMethods.Open(path, 0 /* O_RDONLY: enough for fsync, and the only way to open a folder */);
        if (fd < 0)
        {
            throw new IOException($"Could not open '{path}' to flush it to disk (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (NativeMethods.FSync(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                // EINVAL: the file system does not support fsync on this kind of file (some do not for folders).
                if (errno != 22)
                {
                    throw new IOException($"Could not flush '{path}' to disk (errno {errno}).");
                }
            }
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static extern int FSync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int fd);
    }
}
