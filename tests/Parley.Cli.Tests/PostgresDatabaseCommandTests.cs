using System.Diagnostics;
using Npgsql;
using Parley.Storage.Conformance;

namespace Parley.Cli.Tests;

/// <summary><c>--db</c> and <c>PARLEY_DB</c> naming a PostgreSQL database, in-process and as separate processes.</summary>
[PostgresRequired]
public sealed class PostgresDatabaseCommandTests : IAsyncLifetime, IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly string _name = PostgresTestServer.NewDatabaseName();
    private string? _connectionString;

    private string WithPassword => new NpgsqlConnectionStringBuilder(_connectionString) { Password = "hunter2-not-logged" }.ConnectionString;

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.SkipReason is null)
        {
            _connectionString = await PostgresTestServer.CreateDatabaseAsync(_name);
        }
    }

    public async Task DisposeAsync()
    {
        if (_connectionString is not null)
        {
            await PostgresTestServer.DropDatabaseAsync(_name);
        }
    }

    public void Dispose() => _cli.Dispose();

    [StoreFact]
    public async Task AskThenSessions_PostgresDb_StoreThereWithoutAFileOrThePasswordInOutput()
    {
        var ask = await _cli.RunAsync(["ask", "--db", WithPassword, "--session", "s_pg", "how long does shipping take?"]);
        var list = await _cli.RunAsync(["sessions", "list", "--db", WithPassword]);
        var show = await _cli.RunAsync(["sessions", "show", "s_pg", "--db", WithPassword]);

        Assert.True(ask.ExitCode == 0, ask.Error);
        Assert.Contains("s_pg", list.Output);
        Assert.Contains("user: how long does shipping take?", show.Output);
        Assert.False(File.Exists(_cli.Database));
        Assert.Empty(Directory.EnumerateFileSystemEntries(TestPathsRoot(), "Host=*"));
        foreach (var result in new[] { ask, list, show })
        {
            Assert.DoesNotContain("hunter2", result.Output + result.Error);
        }
    }

    [StoreFact]
    public async Task SessionsList_UnreachablePostgres_FailsNamingTheServerNotThePassword()
    {
        var result = await _cli.RunAsync(["sessions", "list", "--db", "Host=127.0.0.1;Port=1;Database=parley;Username=app;Password=hunter2-not-logged;Timeout=2"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("PostgreSQL database 'parley' on 127.0.0.1:1", result.Error);
        Assert.DoesNotContain("hunter2", result.Error);
    }

    [StoreFact]
    public async Task SessionsList_TwoProcessesStartingOnANewDatabase_BothSucceedAndMigrateOnce()
    {
        var parley = Path.Combine(AppContext.BaseDirectory, "parley.dll");

        var codes = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { parley, "sessions", "list", "--db", _connectionString! })
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["PARLEY_DATA_DIR"] = _cli.Directory;
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, Error: await error);
        }));

        Assert.All(codes, c => Assert.True(c.ExitCode == 0, c.Error));
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*), MAX(version) FROM parley_schema;", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(1L, reader.GetInt64(0));
        Assert.True(reader.GetInt32(1) >= 3);
    }

    private static string TestPathsRoot() => Parley.Testing.TestPaths.Root;
}
