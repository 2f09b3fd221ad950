using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Parley.Server.Postgres;
using Parley.Server.Storage;
using Parley.Server.Storage.Sqlite;

namespace Parley.Server.Hosting;

/// <summary>
/// Which store <c>--db</c> selects: PostgreSQL for a <c>postgres://</c> URL or a connection string
/// with a <c>Host</c>, else a SQLite file. Telling them apart needs neither engine, and the
/// PostgreSQL assembly (with Npgsql) is loaded only when it is selected.
/// </summary>
internal static class DatabaseSelection
{
    /// <summary>True when <paramref name="db"/> names a PostgreSQL database rather than a SQLite file.</summary>
    public static bool IsPostgres(string? db)
    {
        if (string.IsNullOrWhiteSpace(db))
        {
            return false;
        }
        var trimmed = db.Trim();
        return IsUrl(trimmed) || (trimmed.Contains('=', StringComparison.Ordinal) && TryParse(trimmed, out var settings)
            && (settings.ContainsKey("host") || settings.ContainsKey("server")));
    }

    /// <summary>True when <paramref name="db"/> is usable: a non-empty path, a URL with a host, or a connection string that parses.</summary>
    public static bool IsValid(string? db)
    {
        if (string.IsNullOrWhiteSpace(db))
        {
            return false;
        }
        var trimmed = db.Trim();
        if (IsUrl(trimmed))
        {
            return Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && uri.Host.Length > 0;
        }
        return !trimmed.Contains('=', StringComparison.Ordinal) || TryParse(trimmed, out _);
    }

    /// <summary>What the startup line says about the database: the SQLite file, or PostgreSQL's host, port and database (never the password).</summary>
    public static string Describe(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IsPostgres(options.Db))
        {
            return Path.GetFullPath(options.DatabasePath);
        }
        var db = options.Db.Trim();
        if (IsUrl(db) && Uri.TryCreate(db, UriKind.Absolute, out var uri))
        {
            return $"PostgreSQL {uri.Host}{(uri.Port > 0 ? $":{uri.Port}" : "")}{uri.AbsolutePath}";
        }
        TryParse(db, out var settings);
        var host = settings.TryGetValue("host", out var h) ? h : settings.GetValueOrDefault("server");
        var port = settings.TryGetValue("port", out var p) ? $":{p}" : "";
        var database = settings.TryGetValue("database", out var d) ? $"/{d}" : "";
        return $"PostgreSQL {host}{port}{database}";
    }

    /// <summary>Creates the store (for the service container): the commit pipeline over the selected engine.</summary>
    public static IChatStore CreateStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var timeProvider = services.GetRequiredService<TimeProvider>();
        var engine = IsPostgres(options.Db)
            ? CreatePostgresEngine(options.Db, timeProvider, services)
            : new SqliteChatStore(new SqliteStoreOptions { DatabasePath = options.DatabasePath }, timeProvider,
                services.GetRequiredService<ILogger<SqliteChatStore>>());
        return new CommitPipeline(engine, timeProvider, services.GetRequiredService<Diagnostics.ParleyMetrics>(),
            services.GetRequiredService<ILogger<CommitPipeline>>());
    }

    // a method of its own, never inlined: only calling it loads Parley.Server.Postgres and Npgsql
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IChatEngine CreatePostgresEngine(string db, TimeProvider timeProvider, IServiceProvider services) =>
        new PostgresChatStore(new PostgresStoreOptions { ConnectionString = db }, timeProvider,
            services.GetRequiredService<ILogger<PostgresChatStore>>());

    private static bool IsUrl(string db) =>
        db.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || db.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    private static bool TryParse(string connectionString, out Dictionary<string, string> settings)
    {
        settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
            foreach (string key in builder.Keys)
            {
                settings[key] = Convert.ToString(builder[key], System.Globalization.CultureInfo.InvariantCulture) ?? "";
            }
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
