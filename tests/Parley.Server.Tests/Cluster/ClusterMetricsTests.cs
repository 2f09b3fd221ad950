using Parley.Protocol.Frames;
using Parley.Server.Tests.Protocol;
using Parley.Testing;

namespace Parley.Server.Tests.Cluster;

/// <summary>What a node hears on the backplane is counted, on each node.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterMetricsTests(ClusterEngines engines)
{
    private const string Envelopes = "parley.cluster.envelopes.received";

    [Fact]
    public async Task EachNodeCountsTheEnvelopesItHears()
    {
        await using var cluster = await TwoNodeCluster.StartAsync(engines);
        await using var bob = await cluster.Nodes[1].HelloAsync(Transport.Tcp, "bob");
        await using var alice = await cluster.Nodes[0].HelloAsync(Transport.Tcp, "alice");
        var before = cluster.Nodes.Select(node => node.Counters.Total(Envelopes)).ToList();

        await alice.AssertAnsweredAsync(new SendFrame { Id = "1", To = "#lobby", Text = "counted" }, "ack");
        await bob.WaitForAsync(f => f.Is("message") && f.Str("text") == "counted");
        // alice's node hears its own envelope back too: the backplane gives every node the same stream
        await Waits.UntilAsync(() => cluster.Nodes[0].Counters.Total(Envelopes) > before[0]);

        Assert.True(cluster.Nodes[1].Counters.Total(Envelopes) > before[1]);
    }
}
