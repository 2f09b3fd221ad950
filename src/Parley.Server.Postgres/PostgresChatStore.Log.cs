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

        [LoggerMessage(3102, LogLevel.Error, "A group commit of {WriteCount} writes failed and was rolled back; further failures are not logged until a commit succeeds", EventName = "PostgresCommitFailed")]
        public static partial void CommitFailed(ILogger logger, int writeCount, Exception error);

        [LoggerMessage(3103, LogLevel.Information, "Group commits succeed again, after {FailedCommits} failed", EventName = "PostgresCommitsRecovered")]
        public static partial void CommitsRecovered(ILogger logger, int failedCommits);

        [LoggerMessage(3104, LogLevel.Error, "The commit callback of {ConversationKey} seq {Seq} threw", EventName = "PostgresCommitCallbackFailed")]
        public static partial void CommitCallbackFailed(ILogger logger, string conversationKey, long seq, Exception error);

        [LoggerMessage(3105, LogLevel.Error, "The failure callback of a message to {ConversationKey} threw", EventName = "PostgresFailureCallbackFailed")]
        public static partial void FailureCallbackFailed(ILogger logger, string conversationKey, Exception error);

        [LoggerMessage(3106, LogLevel.Critical, "The store's writer met an unexpected error; the writes of that batch may never complete", EventName = "PostgresWriterFailed")]
        public static partial void WriterFailed(ILogger logger, Exception error);

        [LoggerMessage(3107, LogLevel.Debug, "Closed the PostgreSQL store {Database}", EventName = "PostgresStoreClosed")]
        public static partial void Closed(ILogger logger, string database);
    }
}
