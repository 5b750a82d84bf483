using Parley.Storage.Sqlite;

namespace Parley.Hosting;

/// <summary>
/// The layout of Parley's data folder: every file Parley keeps for itself lives under <see cref="Root"/>, in the
/// sub-folders named here. The one place these names are spelled.
/// </summary>
public sealed class ParleyDataFolder
{
    /// <summary>The folder of the bots' knowledge indexes: <c>indexes</c>.</summary>
    public const string IndexesFolderName = "indexes";

    /// <summary>The folder of the bots' trained intent models: <c>models</c>.</summary>
    public const string ModelsFolderName = "models";

    /// <summary>The folder of the embedding cache and the extracted encoder model: <c>cache</c>.</summary>
    public const string CacheFolderName = "cache";

    /// <summary>The folder of fine-tuning files, jobs and fine-tuned models: <c>fine-tuning</c>.</summary>
    public const string FineTuningFolderName = "fine-tuning";

    /// <summary>Creates the layout over <paramref name="root"/>; nothing is created on disk.</summary>
    /// <param name="root">The data folder; made absolute.</param>
    /// <exception cref="ArgumentException"><paramref name="root"/> is blank.</exception>
    public ParleyDataFolder(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The data folder.</summary>
    public string Root { get; }

    /// <summary>The bots' knowledge indexes, one sub-folder per bot.</summary>
    public string Indexes => Path.Combine(Root, IndexesFolderName);

    /// <summary>The bots' trained intent models, one sub-folder per bot.</summary>
    public string Models => Path.Combine(Root, ModelsFolderName);

    /// <summary>The on-disk embedding cache and the extracted encoder model.</summary>
    public string Cache => Path.Combine(Root, CacheFolderName);

    /// <summary>Fine-tuning files, jobs and fine-tuned models.</summary>
    public string FineTuning => Path.Combine(Root, FineTuningFolderName);

    /// <summary>The default conversation database: <c>parley.db</c>.</summary>
    public string Database => Path.Combine(Root, SqliteConversationStoreOptions.DatabaseFileName);

    /// <summary>
    /// The data folder of this machine: <c>$PARLEY_DATA_DIR</c> when set, else <c>parley</c> under the user's local
    /// application data folder.
    /// </summary>
    /// <param name="getEnvironmentVariable">Reads an environment variable; the process environment by default.</param>
    public static ParleyDataFolder FromEnvironment(Func<string, string?>? getEnvironmentVariable = null) =>
        new(Core.ParleyPaths.GetDataDirectory(getEnvironmentVariable));
}
