namespace Parley.Storage.Postgres.Tests;

public sealed class PostgresConnectionStringTests
{
    [Theory]
    [InlineData("Host=db;Database=parley", true)]
    [InlineData("  server=db;database=parley", true)]
    [InlineData("Username=u;Host=db", true)]
    [InlineData("postgres://u:p@db/parley", true)]
    [InlineData("POSTGRESQL://db:5433/parley", true)]
    [InlineData("parley.db", false)]
    [InlineData("/var/lib/parley/parley.db", false)]
    [InlineData("./Host=x.db", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsPostgres_Value_TellsConnectionStringsFromFiles(string? value, bool expected) =>
        Assert.Equal(expected, PostgresConnectionString.IsPostgres(value));

    [Fact]
    public void Normalize_Url_BecomesKeywordsWithEscapesAndParameters()
    {
        var keywords = PostgresConnectionString.Normalize("postgres://app:p%40ss%3Bword@db.example.com:5433/par%20ley?sslmode=require&application_name=parley");
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(keywords);

        Assert.Equal(("db.example.com", 5433, "par ley", "app", "p@ss;word"), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
        Assert.Equal(Npgsql.SslMode.Require, builder.SslMode);
        Assert.Equal("parley", builder.ApplicationName);
    }

    [Fact]
    public void Describe_NeverContainsThePassword()
    {
        var text = PostgresConnectionString.Describe(PostgresConnectionString.Normalize("postgresql://app:hunter2@db/parley"));

        Assert.Equal("PostgreSQL database 'parley' on db:5432 as user 'app'", text);
        Assert.DoesNotContain("hunter2", text);
    }

    [Fact]
    public void Normalize_UnknownKeyword_FailsNamingItWithoutThePassword()
    {
        var ex = Assert.Throws<ArgumentException>(() => PostgresConnectionString.Normalize("Host=db;Password=hunter2;Colour=blue"));

        Assert.Contains("colour", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hunter2", ex.Message);
    }
}
