using Microsoft.Data.Sqlite;
using Parley.Core.Conversations;

namespace Parley.Storage.Sqlite;

/// <summary>Turns SQLite and file-system failures into <see cref="ConversationStoreException"/>s a user can act on.</summary>
internal static class SqliteErrors
{
    private const int SqlitePerm = 3;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoErr = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteConstraint = 19;
    private const int SqliteAuth = 23;
    private const int SqliteNotADb = 26;

    public static bool IsConstraintViolation(SqliteException exception) => exception.SqliteErrorCode == SqliteConstraint;

    /// <param name="exception">The failure.</param>
    /// <param name="path">The database file.</param>
    /// <param name="action">What was being done, completing "Could not …", for example <c>load conversation 's_1'</c>.</param>
    public static ConversationStoreException Wrap(SqliteException exception, string path, string action)
    {
        string cause = exception.SqliteErrorCode switch
        {
            SqliteCorrupt or SqliteNotADb =>
                $"the conversation database '{path}' is corrupt or is not a SQLite database ({exception.Message}). " +
                "Move the file aside (or restore a backup) to start a new history, or point Parley at another file.",
            SqliteBusy or SqliteLocked =>
                $"the conversation database '{path}' stayed locked by another connection or process longer than the busy timeout. " +
                "Try again, or raise SqliteConversationStoreOptions.BusyTimeout.",
            SqliteReadOnly or SqlitePerm or SqliteAuth =>
                $"the conversation database '{path}' cannot be written ({exception.Message}). Check the permissions of the file and its folder.",
            SqliteCantOpen =>
                $"the conversation database '{path}' cannot be opened ({exception.Message}). Check that its folder exists and is writable.",
            SqliteFull =>
                $"the disk holding the conversation database '{path}' is full. Free some space and try again.",
            SqliteIoErr =>
                $"reading or writing the conversation database '{path}' failed ({exception.Message}). Check the disk and the file.",
            _ => $"the conversation database '{path}' reported an error: {exception.Message}",
        };
        return new ConversationStoreException($"Could not {action}: {cause}", exception);
    }

    public static ConversationStoreException WrapIo(Exception exception, string path, string action) =>
        new($"Could not {action}: the conversation database '{path}' or its folder cannot be created or opened ({exception.Message}). " +
            "Check the path and its permissions.", exception);
}
