using Parley.Protocol.Frames;
using Parley.Server.Tests.Protocol;
using Parley.Testing;

namespace Parley.Server.Tests.Cluster;

/// <summary>
/// Who is in a room, asked on any node, is what the replies told: a user is listed once welcomed or
/// joined and no longer once it left, however slowly its node's records reach Redis. Two nodes in this
/// process, a real PostgreSQL and Redis; node 2's records wait until the node asks for them.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterMembershipTests(ClusterEngines engines)
{
    [Fact]
    public async Task AUserIsInWhoOnTheOtherNodeOnceWelcomedOrJoinedAndOutOnceLeft()
    {
        var (cluster, node2) = await HeldBackplane.StartClusterAsync(engines);
        await using var _ = cluster;
        node2.HoldRecords();
        await using var alice = await cluster.Nodes[0].HelloAsync(Transport.Tcp, "alice");

        await using var bob = await cluster.Nodes[1].HelloAsync(Transport.Tcp, "bob");
        Assert.Equal(["alice", "bob"], await WhoAsync(alice, "#lobby", "w1"));

        await bob.AssertAnsweredAsync(new JoinFrame { Id = "j", Room = "#tea" }, "joined");
        Assert.Equal(["bob"], await WhoAsync(alice, "#tea", "w2"));

        await bob.AssertAnsweredAsync(new LeaveFrame { Id = "l", Room = "#tea" }, "left");
        Assert.Empty(await WhoAsync(alice, "#tea", "w3"));
    }

    private static async Task<List<string>> WhoAsync(RawClient client, string room, string id) =>
        (await client.AssertAnsweredAsync(new WhoRequestFrame { Id = id, Room = room }, "who")).Strings("users");
}
