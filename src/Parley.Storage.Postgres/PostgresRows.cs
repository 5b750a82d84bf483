using Npgsql;

namespace Parley.Storage.Postgres;

/// <summary>How values are written to and read from rows.</summary>
internal static class PostgresRows
{
    /// <summary>
    /// A timestamp as PostgreSQL keeps it: UTC, whole microseconds (<c>timestamptz</c> has no finer precision, so the
    /// stores truncate before they write and return what they would read back).
    /// </summary>
    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

    /// <summary>Reads a <c>timestamptz</c> column as a UTC <see cref="DateTimeOffset"/>.</summary>
    public static DateTimeOffset Timestamp(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    /// <summary>Reads a nullable text column.</summary>
    public static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
