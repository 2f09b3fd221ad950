using System.Globalization;
using Npgsql;

namespace Parley.Server.Postgres;

/// <summary>Reads what <c>--db</c> may say for PostgreSQL: an Npgsql connection string or a <c>postgres://</c> URL.</summary>
public static class PostgresConnectionString
{
    /// <summary>The Npgsql connection string for <paramref name="db"/>.</summary>
    /// <exception cref="ArgumentException">It is neither a valid URL nor a valid connection string.</exception>
    public static string Normalize(string db)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(db);
        var trimmed = db.Trim();
        if (!IsUrl(trimmed))
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(trimmed).ConnectionString;
            }
            catch (ArgumentException error)
            {
                throw new ArgumentException($"--db is not a valid PostgreSQL connection string: {error.Message}", nameof(db), error);
            }
        }
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException("--db is not a valid postgres:// URL; the form is postgres://USER:PASSWORD@HOST:PORT/DATABASE.", nameof(db));
        }
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (uri.Port > 0)
        {
            builder.Port = uri.Port;
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
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
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "true" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            try
            {
                builder[string.Equals(key, "sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = value;
            }
            catch (ArgumentException error)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"--db has a URL parameter PostgreSQL does not know: {key} ({error.Message})"), nameof(db), error);
            }
        }
        return builder.ConnectionString;
    }

    private static bool IsUrl(string db) =>
        db.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || db.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);
}
