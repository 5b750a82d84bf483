namespace Parley.Storage.Sqlite;

/// <summary>Options of <see cref="SqliteConversationStore"/>.</summary>
public sealed class SqliteConversationStoreOptions
{
    /// <summary>The environment variable that, when set, names the folder holding <c>parley.db</c>: <c>PARLEY_DATA_DIR</c>.</summary>
    public const string DataDirectoryVariable = Core.ParleyPaths.DataDirectoryVariable;

    /// <summary>The database file name inside the data folder: <c>parley.db</c>.</summary>
    public const string DatabaseFileName = "parley.db";

    /// <summary>The default <see cref="BusyTimeout"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets the default database file: <c>$PARLEY_DATA_DIR/parley.db</c> when <see cref="DataDirectoryVariable"/> is set,
    /// otherwise <c>parley/parley.db</c> under the user's local application data folder
    /// (<c>~/.local/share/parley/parley.db</c> on Linux, <c>%LOCALAPPDATA%\parley\parley.db</c> on Windows).
    /// </summary>
    /// <remarks>
    /// Read from the environment on every access. When the system reports no application data folder (no home
    /// directory), <c>.parley/parley.db</c> under the current directory is used.
    /// </remarks>
    public static string DefaultPath
    {
        get => System.IO.Path.Combine(Core.ParleyPaths.GetDataDirectory(), DatabaseFileName);
    }

    /// <summary>Gets or sets the database file. Its folder is created on first use.</summary>
    /// <value>Defaults to <see cref="DefaultPath"/>, read when the options are created.</value>
    public string Path { get; set; } = DefaultPath;

    /// <summary>Gets or sets the clock for the <c>created</c>, <c>updated</c> and generated timestamps.</summary>
    /// <value>Defaults to <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Gets or sets how long an operation waits for another connection or process that holds the write lock
    /// before it fails with a <see cref="Core.Conversations.ConversationStoreException"/>.
    /// </summary>
    /// <value>
    /// Defaults to <see cref="DefaultBusyTimeout"/> (5 seconds). Must be between zero and one hour; it is rounded up to
    /// whole seconds, at least one. Microsoft.Data.Sqlite waits synchronously, so a waiting call blocks its thread.
    /// </value>
    public TimeSpan BusyTimeout { get; set; } = DefaultBusyTimeout;

    /// <summary>Checks the options and throws when one is invalid.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new ArgumentException($"{nameof(SqliteConversationStoreOptions)}.{nameof(Path)} must name a database file.");
        }

        if (Path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0 || Path.EndsWith(System.IO.Path.DirectorySeparatorChar) || Path.EndsWith(System.IO.Path.AltDirectorySeparatorChar))
        {
            throw new ArgumentException($"{nameof(SqliteConversationStoreOptions)}.{nameof(Path)} '{Path}' is not a valid file path.");
        }

        if (TimeProvider is null)
        {
            throw new ArgumentException($"{nameof(SqliteConversationStoreOptions)}.{nameof(TimeProvider)} must not be null.");
        }

        if (BusyTimeout < TimeSpan.Zero || BusyTimeout > TimeSpan.FromHours(1))
        {
            throw new ArgumentException($"{nameof(SqliteConversationStoreOptions)}.{nameof(BusyTimeout)} must be between zero and one hour, but was {BusyTimeout}.");
        }
    }
}
