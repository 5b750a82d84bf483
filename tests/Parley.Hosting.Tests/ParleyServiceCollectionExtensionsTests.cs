using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Parley.Core.Conversations;
using Parley.Nlu.Embeddings;
using Parley.Storage.Sqlite;

namespace Parley.Hosting.Tests;

public sealed class ParleyServiceCollectionExtensionsTests : IDisposable
{
    private readonly TestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void AddParleyBots_DataDirectoryConfigured_OneLayoutUnderIt()
    {
        using var services = _host.Build();

        var data = services.GetRequiredService<ParleyDataFolder>();

        Assert.Equal(_host.DataDirectory, data.Root);
        Assert.Equal(Path.Combine(_host.DataDirectory, "indexes"), data.Indexes);
        Assert.Equal(Path.Combine(_host.DataDirectory, "models"), data.Models);
        Assert.Equal(Path.Combine(_host.DataDirectory, "cache"), data.Cache);
        Assert.Equal(Path.Combine(_host.DataDirectory, "fine-tuning"), data.FineTuning);
        Assert.Equal(Path.Combine(_host.DataDirectory, "parley.db"), data.Database);
    }

    [Fact]
    public async Task AddParleyBots_NoDatabaseConfigured_StoresConversationsInTheDataFolder()
    {
        await using var services = _host.Build();

        var store = services.GetRequiredService<IConversationStore>();
        await store.ListAsync(limit: 1);

        Assert.Equal(Path.Combine(_host.DataDirectory, "parley.db"), Assert.IsType<SqliteConversationStore>(store).DatabasePath);
    }

    [Fact]
    public async Task AddParleyBots_RelativeDatabase_ResolvedAgainstTheBaseDirectory()
    {
        await using var services = _host.Build(new() { ["Parley:Database"] = "chats.db", ["Parley:BaseDirectory"] = _host.DataDirectory });

        var store = Assert.IsType<SqliteConversationStore>(services.GetRequiredService<IConversationStore>());

        Assert.Equal(Path.Combine(_host.DataDirectory, "chats.db"), store.DatabasePath);
    }

    [Theory]
    [InlineData("Host=db.internal;Database=parley;Username=app;Password=hunter2")]
    [InlineData("postgres://app:hunter2@db.internal/parley")]
    public async Task AddParleyBots_PostgresDatabase_StoresInPostgresAndCreatesNoFile(string database)
    {
        await using var services = _host.Build(new() { ["Parley:Database"] = database, ["Parley:BaseDirectory"] = _host.DataDirectory });

        var store = Assert.IsType<Parley.Storage.Postgres.PostgresConversationStore>(services.GetRequiredService<IConversationStore>());
        Assert.IsType<Parley.Storage.Postgres.PostgresCalendarStore>(services.GetRequiredService<Parley.Core.Calendar.ICalendarStore>());

        Assert.Equal("PostgreSQL database 'parley' on db.internal:5432 as user 'app'", store.Description);
        Assert.Equal("PostgreSQL database 'parley' on db.internal:5432 as user 'app'", services.GetRequiredService<ParleyDatabase>().Description);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_host.DataDirectory, "*Host*"));
        Assert.False(File.Exists(Path.Combine(_host.DataDirectory, database)));
    }

    [Fact]
    public void AddParleyBots_UnreadableConnectionString_FailsValidationWithoutThePassword()
    {
        using var services = _host.Build(new() { ["Parley:Database"] = "Host=db;Colour=blue;Password=hunter2" });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ParleyOptions>>().Value);

        Assert.Contains("Parley:Database", ex.Message);
        Assert.DoesNotContain("hunter2", ex.Message);
    }

    [Fact]
    public void AddParleyBots_TwoContainers_ShareTheProcessEncoderBehindEachCache()
    {
        using var first = _host.Build();
        using var second = _host.Build();

        var a = first.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var b = second.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        Assert.NotNull(a.GetService<CachingEmbeddingGenerator>());
        Assert.Same(a.GetService<MiniLmEmbeddingGenerator>(), b.GetService<MiniLmEmbeddingGenerator>());
        Assert.Equal(1, SharedSentenceEncoder.InstancesCreated);
    }

    [Fact]
    public void AddParleyBots_DisposingTheContainer_LeavesTheSharedEncoderUsable()
    {
        MiniLmEmbeddingGenerator encoder;
        using (var services = _host.Build())
        {
            encoder = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GetService<MiniLmEmbeddingGenerator>()!;
        }

        using var again = _host.Build();

        Assert.Same(encoder, again.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GetService<MiniLmEmbeddingGenerator>());
    }

    [Theory]
    [InlineData("Parley:Retry:MaxAttempts", "0", "Parley:Retry:MaxAttempts")]
    [InlineData("Parley:Retry:DeadlineSeconds", "-1", "Parley:Retry:DeadlineSeconds")]
    [InlineData("Parley:TokenEncoding", "p50k", "Parley:TokenEncoding")]
    public void Options_InvalidSetting_FailsNamingIt(string key, string value, string named)
    {
        using var services = _host.Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ParleyOptions>>().Value);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_RelativeBaseUrl_FailsNamingIt()
    {
        using var services = _host.Build(new() { ["OpenAI:BaseUrl"] = "localhost:11434/v1" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<LlmClientFactory>());

        Assert.Contains("localhost:11434/v1", error.Message, StringComparison.Ordinal);
    }
}
