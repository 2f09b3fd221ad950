using System.Text.Json;
using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Cluster;

/// <summary>
/// Server nodes as real child processes over one PostgreSQL database (of their own) and one Redis,
/// under a cluster name of their own, so that tests sharing the engines do not hear each other.
/// </summary>
public sealed class ClusterNodes(PostgresServer postgres, RedisServer redis) : IAsyncDisposable
{
    private readonly string cluster = "t" + Guid.NewGuid().ToString("N");
    private readonly List<ServerProcess> nodes = [];
    private string? database;

    /// <summary>The nodes started so far.</summary>
    public IReadOnlyList<ServerProcess> Nodes => nodes;

    /// <summary>Starts <paramref name="count"/> nodes (named n1, n2, …) and waits until each listens.</summary>
    public async Task<IReadOnlyList<ServerProcess>> StartAsync(int count, TimeSpan? nameLease = null)
    {
        database ??= await postgres.CreateDatabaseAsync();
        var lease = (nameLease ?? TimeSpan.FromSeconds(15)).ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < count; i++)
        {
            var name = $"n{nodes.Count + 1}";
            nodes.Add(await ServerProcess.StartAsync(database, null, null,
                "--redis", redis.Endpoint, "--node", name, $"--Parley:Cluster={cluster}", $"--Parley:NameLease={lease}"));
        }
        return nodes;
    }

    /// <summary>Connects to a node over TCP and says hello; returns the client and its welcome.</summary>
    public static async Task<(RawClient Client, JsonElement Welcome)> HelloAsync(ServerProcess node, string user)
    {
        var client = await RawClient.ConnectTcpAsync(node.Tcp);
        await client.SendAsync(new HelloFrame { User = user });
        var welcome = await client.NextAsync();
        client.Welcome = welcome;
        return (client, welcome);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }
        if (database is not null)
        {
            await postgres.DropDatabaseAsync(database);
        }
    }
}
