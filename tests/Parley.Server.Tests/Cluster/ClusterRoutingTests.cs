using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Cluster;

/// <summary>
/// A node hears only the conversations its users are in: three nodes, rooms whose members sit on one node
/// each, and each node receives about a third of the envelopes, not all of them. Real PostgreSQL and Redis.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterRoutingTests(ClusterEngines engines)
{
    private const string Envelopes = "parley.cluster.envelopes.received";
    // 300 rooms in all
    private const int RoomsPerNode = 100;

    [Fact]
    public async Task EachNodeHearsTheRoomsOfItsOwnMembersOnly()
    {
        await using var cluster = await TwoNodeCluster.StartAsync(engines,
            // no #lobby, which every node would hear; 600 connections from one address, whose limits other suites test
            new Dictionary<string, string> { ["Parley:AutoJoinLobby"] = "false", ["Parley:Limits:Disabled"] = "true" }, nodeCount: 3);
        var clients = new List<RawClient>();
        try
        {
            // two members per room, both on the room's node; every room gets one message
            var senders = new List<RawClient>();
            for (var node = 0; node < 3; node++)
            {
                for (var room = 0; room < RoomsPerNode; room++)
                {
                    var name = $"#r{node}x{room}";
                    var sender = await JoinAsync(cluster.Nodes[node], $"s{node}x{room}", name);
                    var reader = await JoinAsync(cluster.Nodes[node], $"m{node}x{room}", name);
                    clients.Add(sender);
                    clients.Add(reader);
                    senders.Add(sender);
                }
            }
            // every node has heard its own members' joins come back (two per room), and only those
            await Waits.UntilAsync(() => cluster.Nodes.All(n => n.Counters.Total(Envelopes) >= 2 * RoomsPerNode));
            var before = cluster.Nodes.Select(n => n.Counters.Total(Envelopes)).ToList();

            for (var i = 0; i < senders.Count; i++)
            {
                var node = i / RoomsPerNode;
                await senders[i].AssertAckedAsync("m", $"#r{node}x{i % RoomsPerNode}", "only here");
            }
            // each node hears its own rooms' messages back: all of them have arrived once every node has its share
            await Waits.UntilAsync(() => cluster.Nodes.Select((n, i) => n.Counters.Total(Envelopes) - before[i]).All(heard => heard >= RoomsPerNode));

            var heard = cluster.Nodes.Select((n, i) => n.Counters.Total(Envelopes) - before[i]).ToList();
            // every node published RoomsPerNode envelopes; with one channel for all, each would hear all 3 × RoomsPerNode
            Assert.All(heard, count => Assert.Equal(RoomsPerNode, count));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static async Task<RawClient> JoinAsync(TestServer node, string user, string room)
    {
        var client = await node.HelloAsync(Transport.Tcp, user);
        await client.AssertAnsweredAsync(new JoinFrame { Id = "j", Room = room }, "joined");
        return client;
    }
}
