using System.Net;
using Microsoft.AspNetCore.Builder;
using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Cluster;

/// <summary>
/// Two nodes in this process over a PostgreSQL database of their own and a shared Redis, under a
/// cluster name of their own, standing in for "the server": each new connection goes to the next
/// node in turn, so that clients of one test sit on different nodes.
/// </summary>
public sealed class TwoNodeCluster : IServerUnderTest
{
    private readonly ClusterEngines engines;
    private readonly string database;
    private readonly List<TestServer> nodes = [];
    private int next = -1;

    private TwoNodeCluster(ClusterEngines engines, string database)
    {
        this.engines = engines;
        this.database = database;
    }

    /// <summary>A factory for the protocol suites.</summary>
    public static ServerFactory Factory(ClusterEngines engines) => async settings => await StartAsync(engines, settings);

    /// <summary>The nodes, n1 and n2.</summary>
    public IReadOnlyList<TestServer> Nodes => nodes;

    /// <summary>
    /// Starts both nodes (or <paramref name="nodeCount"/>) with the extra <paramref name="settings"/>; <paramref name="configureNode"/>
    /// gets each node's number (1, 2, …) and its builder once its services are registered.
    /// </summary>
    public static async Task<TwoNodeCluster> StartAsync(
        ClusterEngines engines, IDictionary<string, string>? settings = null, Action<int, WebApplicationBuilder>? configureNode = null, int nodeCount = 2)
    {
        var cluster = new TwoNodeCluster(engines, await engines.Postgres.CreateDatabaseAsync());
        var name = "t" + Guid.NewGuid().ToString("N");
        try
        {
            for (var n = 1; n <= nodeCount; n++)
            {
                var nodeSettings = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
                {
                    ["Parley:Db"] = cluster.database,
                    ["Parley:Redis"] = engines.Redis.Endpoint,
                    ["Parley:Node"] = $"n{n}",
                    ["Parley:Cluster"] = name,
                };
                var number = n;
                cluster.nodes.Add(await TestServer.StartAsync(nodeSettings, configure: builder => configureNode?.Invoke(number, builder)));
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <inheritdoc />
    public IPEndPoint Tcp => nodes[0].Tcp;

    /// <inheritdoc />
    public IPEndPoint Http => nodes[0].Http;

    /// <inheritdoc />
    public Uri WebSocketUri => nodes[0].WebSocketUri;

    /// <inheritdoc />
    public Task<RawClient> ConnectAsync(Transport transport) =>
        nodes[(int)((uint)Interlocked.Increment(ref next) % nodes.Count)].ConnectAsync(transport);

    /// <inheritdoc />
    public async Task<RawClient> HelloAsync(Transport transport, string user, string? password = null)
    {
        var client = await ConnectAsync(transport);
        await client.SendAsync(new HelloFrame { User = user, Password = password });
        var welcome = await client.NextAsync();
        Assert.Equal("welcome", welcome.Type());
        client.Welcome = welcome;
        return client;
    }

    /// <inheritdoc />
    public async Task StopAsync()
    {
        foreach (var node in nodes)
        {
            await node.StopAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }
        await engines.Postgres.DropDatabaseAsync(database);
    }
}
