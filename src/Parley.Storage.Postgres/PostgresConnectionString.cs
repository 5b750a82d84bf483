using System.Text.RegularExpressions;
using Npgsql;

namespace Parley.Storage.Postgres;

/// <summary>
/// Tells a PostgreSQL connection string (<c>Host=…;Database=…</c> or a <c>postgres://</c> URL) from a database file
/// path, turns URLs into Npgsql's keyword form, and describes a connection without its password for messages and logs.
/// </summary>
public static partial class PostgresConnectionString
{
    /// <summary>
    /// Whether <paramref name="value"/> names a PostgreSQL database rather than a file: it starts with
    /// <c>postgres://</c> or <c>postgresql://</c>, or with a connection-string keyword and <c>=</c>
    /// (<c>Host=</c>, <c>Server=</c>, <c>Database=</c>, <c>Username=</c>, …).
    /// </summary>
    /// <param name="value">A <c>--db</c> value or <c>Parley:Database</c> setting.</param>
    public static bool IsPostgres(string? value) =>
        !string.IsNullOrWhiteSpace(value) && (IsUrl(value) || KeywordStart().IsMatch(value));

    /// <summary>
    /// The connection string in Npgsql's keyword form: a URL
    /// (<c>postgres://user:password@host:port/database?sslmode=require</c>) is converted, a keyword string is checked.
    /// </summary>
    /// <param name="value">A connection string or URL.</param>
    /// <returns>The keyword form.</returns>
    /// <exception cref="ArgumentException">It cannot be read; the message does not contain the password.</exception>
    public static string Normalize(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        try
        {
            return (IsUrl(value) ? FromUrl(value.Trim()) : new NpgsqlConnectionStringBuilder(value)).ConnectionString;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException or InvalidOperationException)
        {
            throw new ArgumentException($"The PostgreSQL connection string cannot be read: {Redact(ex.Message, value)}");
        }
    }

    /// <summary>
    /// Describes the database for messages: <c>database 'parley' on db.example.com:5432 as user 'parley'</c>. Never
    /// contains the password.
    /// </summary>
    /// <param name="connectionString">A connection string in keyword form (see <see cref="Normalize"/>).</param>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var user = string.IsNullOrEmpty(builder.Username) ? "" : $" as user '{builder.Username}'";
        var database = string.IsNullOrEmpty(builder.Database) ? "the default database" : $"database '{builder.Database}'";
        return $"PostgreSQL {database} on {builder.Host}:{builder.Port}{user}";
    }

    private static bool IsUrl(string value)
    {
        var trimmed = value.TrimStart();
        return trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string url)
    {
        var uri = new Uri(url, UriKind.Absolute);
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var text = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            builder[UrlKeyword(key)] = text;
        }

        return builder;
    }

    // libpq's URL parameter names where they differ from Npgsql's keywords.
    private static string UrlKeyword(string key) => key.ToLowerInvariant() switch
    {
        "sslmode" => "SSL Mode",
        "application_name" => "Application Name",
        "connect_timeout" => "Timeout",
        "user" => "Username",
        "dbname" => "Database",
        _ => key,
    };

    // Npgsql's messages name keywords, not values; this keeps a password out even if one ever did.
    private static string Redact(string message, string value)
    {
        try
        {
            var password = IsUrl(value) ? null : new NpgsqlConnectionStringBuilder { ConnectionString = value }.Password;
            return string.IsNullOrEmpty(password) ? message : message.Replace(password, "***", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            return message;
        }
    }

    [GeneratedRegex(@"^\s*(host|server|port|database|db|username|user ?id|user|password|pwd|ssl ?mode|search ?path)\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeywordStart();
}
