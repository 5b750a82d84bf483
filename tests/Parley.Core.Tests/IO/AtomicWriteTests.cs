using Parley.Core.IO;

namespace Parley.Core.Tests.IO;

public sealed class AtomicWriteTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "parley-atomic-" + Guid.NewGuid().ToString("N"));

    public AtomicWriteTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task WriteAllTextAsync_ExistingFile_ReplacedWholeAndNoTemporaryFileLeft()
    {
        var path = Path.Combine(_folder, "job.json");
        await File.WriteAllTextAsync(path, "old content that is longer");

        await AtomicFile.WriteAllTextAsync(path, "{\"new\":true}");

        Assert.Equal("{\"new\":true}", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task WriteAllTextAsync_Cancelled_LeavesTheOldFileAndNoTemporaryFile()
    {
        var path = Path.Combine(_folder, "job.json");
        await File.WriteAllTextAsync(path, "old");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AtomicFile.WriteAllTextAsync(path, "new", new CancellationToken(canceled: true)));

        Assert.Equal("old", await File.ReadAllTextAsync(path));
        Assert.Empty(Directory.GetFiles(_folder, AtomicFile.TemporaryPattern));
    }

    [Fact]
    public void MoveDurably_FinishedFile_MovedAcrossFolders()
    {
        var source = Path.Combine(_folder, ".upload.tmp");
        Directory.CreateDirectory(Path.Combine(_folder, "files"));
        var target = Path.Combine(_folder, "files", "file-1.jsonl");
        File.WriteAllText(source, "data");

        AtomicFile.MoveDurably(source, target);

        Assert.False(File.Exists(source));
        Assert.Equal("data", File.ReadAllText(target));
    }

    [Fact]
    public void DiskFlush_FileFolderAndTree_Succeed()
    {
        var sub = Directory.CreateDirectory(Path.Combine(_folder, "a", "b")).FullName;
        File.WriteAllText(Path.Combine(sub, "x.bin"), "x");

        DiskFlush.File(Path.Combine(sub, "x.bin"));
        DiskFlush.Folder(sub);
        DiskFlush.Tree(_folder);
    }

    [Fact]
    public void DiskFlush_MissingPath_ThrowsIOExceptionNamingIt()
    {
        var missing = Path.Combine(_folder, "missing");

        var error = Assert.ThrowsAny<IOException>(() => DiskFlush.File(missing));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replace_ExistingTarget_SwapsInTheStagedFolder()
    {
        var target = Path.Combine(_folder, "model");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "old.txt"), "old");
        var staged = AtomicFolder.StagingPath(target);
        Directory.CreateDirectory(staged);
        File.WriteAllText(Path.Combine(staged, "new.txt"), "new");

        AtomicFolder.Replace(staged, target);

        Assert.Equal(["new.txt"], Directory.GetFiles(target).Select(Path.GetFileName));
        Assert.Equal([target], Directory.GetDirectories(_folder));
    }
}
