using Parley.Core.Conversations;
using Parley.Storage.Conformance;

namespace Parley.Storage.Postgres.Tests;

[PostgresRequired]
public sealed class PostgresSchemaTests : IAsyncLifetime
{
    private readonly PostgresBackend _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [StoreFact]
    public async Task Migrations_ManyServersStartingAtOnce_MigrateOnceAndAllWork()
    {
        // Each store has its own connection pool, as separate server processes would: only the advisory lock orders them.
        var stores = Enumerable.Range(0, 8).Select(_ => new PostgresConversationStore(_db.Options())).ToList();
        try
        {
            var created = await Task.WhenAll(stores.Select((store, i) => Task.Run(() => store.CreateAsync("bot", $"s_{i}"))));

            Assert.Equal(8, created.Length);
            Assert.Equal(PostgresSchema.CurrentVersion, await _db.ScalarAsync("SELECT version FROM parley_schema;"));
            Assert.Equal(1L, await _db.ScalarAsync("SELECT COUNT(*) FROM parley_schema;"));
            Assert.Equal(8L, await _db.ScalarAsync("SELECT COUNT(*) FROM conversations;"));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [StoreFact]
    public async Task Open_VersionOneDatabase_IsMigratedKeepingItsConversations()
    {
        await _db.ScalarAsync(PostgresSchema.Migrations[0] + """
            CREATE TABLE parley_schema (singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), version integer NOT NULL, migrated timestamptz NOT NULL DEFAULT now());
            INSERT INTO parley_schema (version) VALUES (1);
            INSERT INTO conversations VALUES ('s_old', 'shop', NULL, now(), now());
            """);
        await using var store = new PostgresConversationStore(_db.Options());

        await store.AppendAsync("s_old", [], [new ConversationEvent("handoff", _db.Time.GetUtcNow())]);

        Assert.Equal("handoff", Assert.Single((await store.GetAsync("s_old"))!.Events).Kind);
        Assert.Equal(PostgresSchema.CurrentVersion, await _db.ScalarAsync("SELECT version FROM parley_schema;"));
    }

    [StoreFact]
    public async Task Schema_DowngradedToVersionFour_LosesTitleAndOwnerAndIsMigratedBackKeepingConversations()
    {
        await using (var first = new PostgresConversationStore(_db.Options()))
        {
            await first.CreateAsync("shop", "s_1", owner: "key_alice");
            await first.SetTitleAsync("s_1", "Returns");
        }

        await using (var connection = new Npgsql.NpgsqlConnection(_db.ConnectionString))
        {
            await connection.OpenAsync();
            await PostgresSchema.DowngradeAsync(connection, 4, CancellationToken.None);
        }

        var columnsAtFour = await _db.ScalarAsync("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'conversations';");
        var versionAtFour = await _db.ScalarAsync("SELECT version FROM parley_schema;");
        Npgsql.NpgsqlConnection.ClearAllPools();
        await using var store = new PostgresConversationStore(_db.Options());
        var loaded = await store.GetAsync("s_1");
        await store.SetTitleAsync("s_1", "Again");

        Assert.Equal("id,bot,system_prompt,created,updated", columnsAtFour);
        Assert.Equal(4, versionAtFour);
        Assert.Null(loaded!.Owner);
        Assert.Null(loaded.Title);
        Assert.Equal("Again", (await store.GetAsync("s_1"))!.Title);
        Assert.Equal(PostgresSchema.CurrentVersion, await _db.ScalarAsync("SELECT version FROM parley_schema;"));
    }

    [StoreFact]
    public async Task Open_NewerSchema_IsRefusedNamingBothVersions()
    {
        await using (var first = new PostgresConversationStore(_db.Options()))
        {
            await first.CreateAsync("bot", "s_1");
        }

        await _db.ScalarAsync("UPDATE parley_schema SET version = 99;");
        await using var store = new PostgresConversationStore(_db.Options());

        var ex = await Assert.ThrowsAsync<ConversationStoreException>(() => store.GetAsync("s_1"));

        Assert.Contains("version 99", ex.Message);
        Assert.Contains($"version {PostgresSchema.CurrentVersion}", ex.Message);
        Assert.Contains("Upgrade", ex.Message);
    }

    [StoreFact]
    public async Task Open_UnreachableServerWithPassword_FailsWithoutShowingThePassword()
    {
        await using var store = new PostgresConversationStore(new PostgresStoreOptions
        {
            ConnectionString = "Host=127.0.0.1;Port=1;Database=parley;Username=app;Password=s3cret-pw;Timeout=2",
        });

        var ex = await Assert.ThrowsAsync<ConversationStoreException>(() => store.ListAsync());

        Assert.Contains("database 'parley' on 127.0.0.1:1 as user 'app'", ex.Message);
        Assert.DoesNotContain("s3cret-pw", ex.ToString());
    }
}
