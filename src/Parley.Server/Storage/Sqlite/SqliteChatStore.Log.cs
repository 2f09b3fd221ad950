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

        [LoggerMessage(3002, LogLevel.Error, "A group commit of {WriteCount} writes failed and was rolled back; further failures are not logged until a commit succeeds", EventName = "SqliteCommitFailed")]
        public static partial void CommitFailed(ILogger logger, int writeCount, Exception error);

        [LoggerMessage(3003, LogLevel.Information, "Group commits succeed again, after {FailedCommits} failed", EventName = "SqliteCommitsRecovered")]
        public static partial void CommitsRecovered(ILogger logger, int failedCommits);

        [LoggerMessage(3004, LogLevel.Error, "The commit callback of {ConversationKey} seq {Seq} threw", EventName = "SqliteCommitCallbackFailed")]
        public static partial void CommitCallbackFailed(ILogger logger, string conversationKey, long seq, Exception error);

        [LoggerMessage(3005, LogLevel.Error, "The failure callback of a message to {ConversationKey} threw", EventName = "SqliteFailureCallbackFailed")]
        public static partial void FailureCallbackFailed(ILogger logger, string conversationKey, Exception error);

        [LoggerMessage(3006, LogLevel.Critical, "The store's writer met an unexpected error; the writes of that batch may never complete", EventName = "SqliteWriterFailed")]
        public static partial void WriterFailed(ILogger logger, Exception error);

        [LoggerMessage(3007, LogLevel.Debug, "Closed the SQLite store {DatabasePath}", EventName = "SqliteStoreClosed")]
        public static partial void Closed(ILogger logger, string databasePath);

        [LoggerMessage(3008, LogLevel.Information, "Created the directory {Directory} for the database", EventName = "SqliteDirectoryCreated")]
        public static partial void DirectoryCreated(ILogger logger, string directory);
    }
}
