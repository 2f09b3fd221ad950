using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Cluster;

/// <summary>
/// Presence across nodes is told only to those who were in the room when it happened, however late a
/// node hears it. Two nodes in this process, a real PostgreSQL and Redis; node 2's backplane is held
/// so that it hears the other node late.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterPresenceOrderTests(ClusterEngines engines)
{
    [Fact]
    public async Task AJoinOnAnotherNodeBeforeMineIsNotToldToMeWhenMyNodeHearsItAfterMyJoin()
    {
        var (cluster, node2) = await HeldBackplane.StartClusterAsync(engines);
        await using var _ = cluster;
        // dave keeps #lobby heard on node 2 (a node hears only the rooms with a member there)
        await using var dave = await cluster.Nodes[1].HelloAsync(Transport.Tcp, "dave");
        // ... once node 2 has heard dave's own join come back, so that what it holds next is alice's
        await Waits.UntilAsync(() => cluster.Nodes[1].Counters.Total("parley.cluster.envelopes.received") >= 1);
        node2.Hold();

        // alice joins #lobby on node 1; node 2 hears of it only after bob, on node 2, has joined too
        await using var alice = await cluster.Nodes[0].HelloAsync(Transport.Tcp, "alice");
        await node2.HeldOneAsync();
        await using var bob = await cluster.Nodes[1].HelloAsync(Transport.Tcp, "bob");
        // bob's own join, coming back from Redis behind alice's
        await node2.HeldOneAsync();
        node2.Release();

        await alice.SendAsync(new SendFrame { Id = "a1", To = "#lobby", Text = "you joined after me" });
        Assert.Equal("ack", (await alice.ReplyAsync("a1")).Type());
        var first = await bob.NextAsync();
        Assert.True(first.Is("message") && first.Str("text") == "you joined after me", $"bob's first frame after his welcome: {first}");

        // presence from after bob's join still reaches him
        await using var carol = await cluster.Nodes[0].HelloAsync(Transport.Tcp, "carol");
        var joined = await bob.NextAsync();
        Assert.Equal(("presence", "carol", "join"), (joined.Type(), joined.Str("user"), joined.Str("event")));
    }
}
