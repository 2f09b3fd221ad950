using Microsoft.Extensions.Logging;

namespace Parley.Server.Storage.Sqlite;

public sealed partial class SqliteChatStore
{
    /// <summary>The store's log messages; event ids 3000-3099 (storage owns 3000-3999).</summary>
    private static partial class Log
    {
        [LoggerMessage(3000, LogLevel.Information, "Opened the SQLite store {DatabasePath}", EventName = "SqliteStoreOpened")]
        public static partial void Opened(ILogger logger, string databasePath);

        [LoggerMessage(3001, LogLevel.Information, "Applied schema migration {Version}: {MigrationName}", EventName = "SqliteMigrationApplied")]
        public static partial void MigrationApplied(ILogger logger, int version, string migrationName);

        [LoggerMessage(3007, LogLevel.Debug, "Closed the SQLite store {DatabasePath}", EventName = "SqliteStoreClosed")]
        public static partial void Closed(ILogger logger, string databasePath);

        [LoggerMessage(3008, LogLevel.Information, "Created the directory {Directory} for the database", EventName = "SqliteDirectoryCreated")]
        public static partial void DirectoryCreated(ILogger logger, string directory);
    }
}
