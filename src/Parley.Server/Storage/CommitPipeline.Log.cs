using Microsoft.Extensions.Logging;
using Parley.Server.Diagnostics;

namespace Parley.Server.Storage;

public sealed partial class CommitPipeline
{
    private static partial class Log
    {
        [LoggerMessage(ParleyEventIds.CommitFailed, LogLevel.Error, "A group commit of {WriteCount} writes failed and was rolled back; further failures are not logged until a commit succeeds", EventName = "StoreCommitFailed")]
        public static partial void CommitFailed(ILogger logger, int writeCount, Exception error);

        [LoggerMessage(ParleyEventIds.CommitsRecovered, LogLevel.Information, "Group commits succeed again, after {FailedCommits} failed", EventName = "StoreCommitsRecovered")]
        public static partial void CommitsRecovered(ILogger logger, int failedCommits);

        [LoggerMessage(ParleyEventIds.CommitCallbackFailed, LogLevel.Error, "The commit callback of {ConversationKey} seq {Seq} threw", EventName = "StoreCommitCallbackFailed")]
        public static partial void CommitCallbackFailed(ILogger logger, string conversationKey, long seq, Exception error);

        [LoggerMessage(ParleyEventIds.FailureCallbackFailed, LogLevel.Error, "The failure callback of a message to {ConversationKey} threw", EventName = "StoreFailureCallbackFailed")]
        public static partial void FailureCallbackFailed(ILogger logger, string conversationKey, Exception error);

        [LoggerMessage(ParleyEventIds.CommitPipelineFailed, LogLevel.Critical, "The commit pipeline met an unexpected error; the writes it had taken failed", EventName = "StorePipelineFailed")]
        public static partial void PipelineFailed(ILogger logger, Exception error);
    }
}
