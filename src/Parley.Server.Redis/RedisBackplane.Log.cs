using Microsoft.Extensions.Logging;

namespace Parley.Server.Redis;

public sealed partial class RedisBackplane
{
    /// <summary>The backplane's log messages; event ids 4050-4099 (the cluster owns 4000-4099).</summary>
    private static partial class Log
    {
        [LoggerMessage(4050, LogLevel.Information, "Node {Node} joined the cluster through Redis {Configuration} (connected now: {Connected})", EventName = "RedisBackplaneStarted")]
        public static partial void Started(ILogger logger, string node, string configuration, bool connected);

        [LoggerMessage(4051, LogLevel.Warning, "Node {Node} lost Redis ({Failure}): members on other nodes miss live messages until it returns, then get them from the store", EventName = "RedisConnectionLost")]
        public static partial void ConnectionLost(ILogger logger, string node, string failure, Exception? error);

        [LoggerMessage(4052, LogLevel.Information, "Node {Node} reached Redis again ({ConnectionType})", EventName = "RedisConnectionRestored")]
        public static partial void ConnectionRestored(ILogger logger, string node, string connectionType);

        [LoggerMessage(4053, LogLevel.Information, "The name {NameKey} held on node {Node} was taken over by a newer sign-in of its identity, or lost while Redis could not be reached", EventName = "RedisNameTakenOver")]
        public static partial void NameTakenOver(ILogger logger, string nameKey, string node);

        [LoggerMessage(4054, LogLevel.Warning, "Node {Node} could not renew its name leases", EventName = "RedisRenewalFailed")]
        public static partial void RenewalFailed(ILogger logger, string node, Exception error);
    }
}
