using Npgsql;

namespace Parley.Storage.Conformance;

/// <summary>
/// The PostgreSQL server the tests use: <c>PARLEY_TEST_POSTGRES</c> (a connection string to a user that may create
/// databases; <c>.ci/run</c> starts a throwaway cluster and sets it). Without it the tests are skipped, unless
/// <c>PARLEY_REQUIRE_POSTGRES=1</c>, when they fail.
/// </summary>
public static class PostgresTestServer
{
    public const string ConnectionStringVariable = "PARLEY_TEST_POSTGRES";
    public const string RequireVariable = "PARLEY_REQUIRE_POSTGRES";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } value ? value : null;

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Why the PostgreSQL tests are skipped here, or null when they run.</summary>
    public static string? SkipReason => ConnectionString is null && !Required
        ? $"PostgreSQL is not available: set {ConnectionStringVariable} to a connection string of a server where the user may create databases (.ci/run starts one), or {RequireVariable}=1 to make this a failure."
        : null;

    /// <summary>Creates an empty database and gives its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string name)
    {
        var admin = ConnectionString ?? throw new InvalidOperationException($"{RequireVariable}=1 but {ConnectionStringVariable} is not set: there is no PostgreSQL server to test against.");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\";", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing what is still connected.</summary>
    public static async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE);", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A new database name for one test.</summary>
    public static string NewDatabaseName() => "parley_test_" + Guid.NewGuid().ToString("N")[..16];
}
