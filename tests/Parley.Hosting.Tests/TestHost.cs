using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Parley.Hosting.Tests;

/// <summary>A temporary data folder and the services <see cref="ParleyServiceCollectionExtensions.AddParleyBots"/> adds over it.</summary>
internal sealed class TestHost : IDisposable
{
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("parley-hosting-").FullName;

    public RecordingReporter Reporter { get; } = new();

    public ServiceProvider Build(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? before = null)
    {
        var values = new Dictionary<string, string?> { ["Parley:DataDirectory"] = DataDirectory };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var services = new ServiceCollection();
        before?.Invoke(services);
        services.AddSingleton<IBotStartupReporter>(Reporter);
        services.AddParleyBots(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }
}

/// <summary>Records what a bot reported while it started.</summary>
internal sealed class RecordingReporter : IBotStartupReporter
{
    public List<string> Events { get; } = [];

    public void TrainingIntentModel(string bot, int examples) => Add($"training {bot} {examples}");

    public void IntentModelTrained(string bot, TimeSpan elapsed) => Add($"trained {bot}");

    public void IndexingKnowledge(string bot, int passages) => Add($"indexing {bot} {passages}");

    public void KnowledgeWarning(string bot, string warning) => Add($"warning {bot} {warning}");

    public void ToolWarning(string bot, string warning) => Add($"tool warning {bot} {warning}");

    private void Add(string text)
    {
        lock (Events)
        {
            Events.Add(text);
        }
    }
}
