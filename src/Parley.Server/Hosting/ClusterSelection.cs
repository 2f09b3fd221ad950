using System.Runtime.CompilerServices;
using Parley.Server.Cluster;
using Parley.Server.Core;
using Parley.Server.Core.Cluster;
using Parley.Server.Redis;

namespace Parley.Server.Hosting;

/// <summary>
/// Which fan-out <c>--redis</c> selects: in-process for a single server, or a cluster fan-out over
/// the Redis backplane. The Redis assembly (with StackExchange.Redis) is loaded only when selected.
/// </summary>
internal static class ClusterSelection
{
    /// <summary>Registers the fan-out, the directories of rooms and names, and the feed: this server's own, or the cluster's over its backplane.</summary>
    public static void AddFanout(IServiceCollection services, ServerOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Redis))
        {
            services.AddSingleton<IFanout>(sp => sp.GetRequiredService<InProcessFanout>());
            services.AddSingleton<IRoomDirectory, LocalRoomDirectory>();
            services.AddSingleton<INameDirectory, LocalNameDirectory>();
            services.AddSingleton<IConversationFeed, LocalConversationFeed>();
            return;
        }
        AddRedisBackplane(services, options);
        services.AddSingleton<ClusterFanout>();
        services.AddSingleton<IFanout>(sp => sp.GetRequiredService<ClusterFanout>());
        services.AddSingleton<IRoomDirectory, ClusterRoomDirectory>();
        services.AddSingleton<INameDirectory, ClusterNameDirectory>();
        services.AddSingleton<IConversationFeed, ClusterConversationFeed>();
    }

    // a method of its own, never inlined: only calling it loads Parley.Server.Redis and StackExchange.Redis
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddRedisBackplane(IServiceCollection services, ServerOptions options) =>
        services.AddSingleton<IClusterBackplane>(sp => new RedisBackplane(
            new RedisBackplaneOptions { Configuration = options.Redis!.Trim(), NodeName = options.NodeName, NameLease = options.NameLease,
                Prefix = options.Cluster + ":" },
            sp.GetRequiredService<ILogger<RedisBackplane>>()));
}
