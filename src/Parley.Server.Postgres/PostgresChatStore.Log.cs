using Microsoft.Extensions.Logging;

namespace Parley.Server.Postgres;

public sealed partial class PostgresChatStore
{
    /// <summary>The store's log messages; event ids 3100-3199 (storage owns 3000-3999, SQLite 3000-3099).</summary>
    private static partial class Log
    {
        [LoggerMessage(3100, LogLevel.Information, "Opened the PostgreSQL store {Database}", EventName = "PostgresStoreOpened")]
        public static partial void Opened(ILogger logger, string database);

        [LoggerMessage(3101, LogLevel.Information, "Applied schema migration {Version}: {MigrationName}", EventName = "PostgresMigrationApplied")]
        public static partial void MigrationApplied(ILogger logger, int version, string migrationName);

        [LoggerMessage(3107, LogLevel.Debug, "Closed the PostgreSQL store {Database}", EventName = "PostgresStoreClosed")]
        public static partial void Closed(ILogger logger, string database);
    }
}
