namespace Parley.Storage.Sqlite.Tests;

public sealed class SqliteConversationStoreOptionsTests
{
    [Fact]
    public void DefaultPath_DataDirSet_UsesIt()
    {
        string? previous = Environment.GetEnvironmentVariable(SqliteConversationStoreOptions.DataDirectoryVariable);
        string dir = Path.Combine(Path.GetTempPath(), "parley-data-dir-test");
        try
        {
            Environment.SetEnvironmentVariable(SqliteConversationStoreOptions.DataDirectoryVariable, dir);
            Assert.Equal(Path.Combine(dir, "parley.db"), SqliteConversationStoreOptions.DefaultPath);
            Assert.Equal(Path.Combine(dir, "parley.db"), new SqliteConversationStoreOptions().Path);

            Environment.SetEnvironmentVariable(SqliteConversationStoreOptions.DataDirectoryVariable, null);
            string expected = Path.Combine(
                Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "parley", "parley.db");
            Assert.Equal(expected, SqliteConversationStoreOptions.DefaultPath);
        }
        finally
        {
            Environment.SetEnvironmentVariable(SqliteConversationStoreOptions.DataDirectoryVariable, previous);
        }
    }

    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        var options = new SqliteConversationStoreOptions();

        Assert.Same(TimeProvider.System, options.TimeProvider);
        Assert.Equal(TimeSpan.FromSeconds(5), options.BusyTimeout);
        options.Validate();
    }

    [Fact]
    public void Validate_InvalidValues_Throw()
    {
        Assert.Throws<ArgumentException>(() => new SqliteConversationStoreOptions { Path = " " }.Validate());
        Assert.Throws<ArgumentException>(() => new SqliteConversationStoreOptions { Path = "/tmp/folder/" }.Validate());
        Assert.Throws<ArgumentException>(() => new SqliteConversationStoreOptions { TimeProvider = null! }.Validate());
        Assert.Throws<ArgumentException>(() => new SqliteConversationStoreOptions { BusyTimeout = TimeSpan.FromSeconds(-1) }.Validate());
        Assert.Throws<ArgumentException>(() => new SqliteConversationStore(new SqliteConversationStoreOptions { Path = "" }));
    }
}
