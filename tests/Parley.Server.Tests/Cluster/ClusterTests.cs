using System.Text.Json;
using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Cluster;

/// <summary>Several nodes behave as one server: real processes, a real PostgreSQL and a real Redis.</summary>
public sealed class ClusterTests(PostgresServer postgres, RedisServer redis)
    : IClassFixture<PostgresServer>, IClassFixture<RedisServer>, IAsyncLifetime
{
    private readonly ClusterNodes cluster = new(postgres, redis);
    private readonly List<RawClient> clients = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
        await cluster.DisposeAsync();
    }

    private async Task<RawClient> HelloAsync(ServerProcess node, string user)
    {
        var (client, welcome) = await ClusterNodes.HelloAsync(node, user);
        clients.Add(client);
        Assert.True(welcome.Is("welcome"), welcome.ToString());
        return client;
    }

    private static Task<JsonElement> MessageAsync(RawClient client, string text) =>
        client.WaitForAsync(f => f.Is("message") && f.Str("text") == text).ContinueWith(t => t.Result.Match, TaskScheduler.Default);

    [Fact]
    public async Task ClientsOnDifferentNodesChatInRoomsAndDirectly()
    {
        var nodes = await cluster.StartAsync(2);
        var alice = await HelloAsync(nodes[0], "alice");
        var bob = await HelloAsync(nodes[1], "bob");

        await alice.SendAsync(new SendFrame { Id = "a1", To = "#lobby", Text = "hello from node 1" });
        var ack = await alice.ReplyAsync("a1");
        var inRoom = await MessageAsync(bob, "hello from node 1");
        await bob.SendAsync(new SendFrame { Id = "b1", To = "alice", Text = "a direct hello from node 2" });
        var direct = await MessageAsync(alice, "a direct hello from node 2");

        Assert.Equal((1L, "#lobby", "alice"), (inRoom.Num("seq"), inRoom.Str("to"), inRoom.Str("from")));
        Assert.Equal(ack.Num("seq"), inRoom.Num("seq"));
        Assert.Equal((1L, "alice", "bob"), (direct.Num("seq"), direct.Str("to"), direct.Str("from")));
    }

    [Fact]
    public async Task AGuestsTokenOnAnotherNodeClosesItsOlderConnectionAtOnce()
    {
        // leases renewed every 40 s: only the node that took the name over telling the other can be this quick
        var nodes = await cluster.StartAsync(2, nameLease: TimeSpan.FromMinutes(2));
        var stale = await HelloAsync(nodes[0], "bob");
        var token = stale.Token;

        var fresh = await RawClient.ConnectTcpAsync(nodes[1].Tcp);
        clients.Add(fresh);
        await fresh.SendAsync(new HelloFrame { User = "bob", Token = token });
        Assert.True((await fresh.NextAsync()).Is("welcome"));

        var last = await stale.ClosedAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(last, f => f.Is("error") && f.Str("code") == "username_taken");
    }

    [Fact]
    public async Task WhoAndRoomsCountMembersOnEveryNode()
    {
        var nodes = await cluster.StartAsync(2);
        var alice = await HelloAsync(nodes[0], "alice");
        await alice.SendAsync(new JoinFrame { Id = "j", Room = "#rust" });
        await alice.ReplyAsync("j");
        var bob = await HelloAsync(nodes[1], "bob");
        await bob.SendAsync(new JoinFrame { Id = "j", Room = "#rust" });
        var joined = await bob.ReplyAsync("j");
        // presence travels after the membership record, on the same Redis connection: once alice sees it, the record is there
        await alice.WaitForAsync(f => f.Is("presence") && f.Str("room") == "#rust" && f.Str("user") == "bob");

        await alice.SendAsync(new WhoRequestFrame { Id = "w", Room = "#lobby" });
        var who = await alice.ReplyAsync("w");
        await alice.SendAsync(new RoomsRequestFrame { Id = "r" });
        var rooms = await alice.ReplyAsync("r");

        Assert.Equal(["alice", "bob"], joined.Strings("users"));
        Assert.Equal(["alice", "bob"], who.Strings("users"));
        Assert.Equal([("#lobby", 2L), ("#rust", 2L)],
            rooms.GetProperty("rooms").EnumerateArray().Select(r => (r.Str("room"), r.Num("members"))));
    }

    [Fact]
    public async Task TheSameNameOnTwoNodesIsRefused()
    {
        var nodes = await cluster.StartAsync(2);
        await HelloAsync(nodes[0], "alice");

        var (second, refusal) = await ClusterNodes.HelloAsync(nodes[1], "Alice");
        clients.Add(second);

        refusal.AssertError("username_taken");
    }

    [Fact]
    public async Task ConcurrentSendersOnDifferentNodesGetOneGapFreeSeqAndEveryoneSeesItInOrder()
    {
        var nodes = await cluster.StartAsync(3);
        var senders = new[] { await HelloAsync(nodes[0], "alice"), await HelloAsync(nodes[1], "bob"), await HelloAsync(nodes[2], "carol") };
        var watchers = new[] { await HelloAsync(nodes[0], "dave"), await HelloAsync(nodes[1], "erin") };
        const int each = 30; // within the flow-control burst

        var acks = await Task.WhenAll(senders.Select(async (sender, s) =>
        {
            for (var i = 0; i < each; i++)
            {
                await sender.SendAsync(new SendFrame { Id = $"m{i}", To = "#lobby", Text = $"{s}/{i}" });
            }
            var seqs = new List<long>();
            for (var i = 0; i < each; i++)
            {
                seqs.Add((await sender.ReplyAsync($"m{i}")).Num("seq"));
            }
            return seqs;
        }));

        Assert.Equal(Enumerable.Range(1, 3 * each).Select(i => (long)i), acks.SelectMany(s => s).Order());
        Assert.All(acks, seqs => Assert.Equal(seqs.Order(), seqs));
        foreach (var watcher in watchers)
        {
            var received = new List<long>();
            while (received.Count < 3 * each)
            {
                var (message, _) = await watcher.WaitForAsync(f => f.Is("message"));
                received.Add(message.Num("seq"));
            }
            Assert.Equal(Enumerable.Range(1, 3 * each).Select(i => (long)i), received);
        }
    }

    [Fact]
    public async Task ANodeKilledWithSigkillFreesItsNamesAfterTheLeaseAndItsAckedMessagesAreInHistory()
    {
        var nodes = await cluster.StartAsync(2, nameLease: TimeSpan.FromSeconds(3));
        var alice = await HelloAsync(nodes[0], "alice");
        for (var i = 1; i <= 3; i++)
        {
            await alice.SendAsync(new SendFrame { Id = $"a{i}", To = "#lobby", Text = $"before the kill {i}" });
        }
        Assert.Equal(3, (await alice.ReplyAsync("a3")).Num("seq"));

        await nodes[0].KillAsync();
        var (early, refusal) = await ClusterNodes.HelloAsync(nodes[1], "alice");
        clients.Add(early);
        refusal.AssertError("username_taken");

        // the lease runs out on Redis's clock: try again until the name is free, within a bound
        using var deadline = new CancellationTokenSource(Waits.Long);
        JsonElement welcome;
        RawClient again;
        do
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), deadline.Token);
            (again, welcome) = await ClusterNodes.HelloAsync(nodes[1], "alice");
            clients.Add(again);
        }
        while (!welcome.Is("welcome"));
        await again.SendAsync(new HistoryRequestFrame { Id = "h", To = "#lobby" });
        var history = await again.ReplyAsync("h");

        Assert.Equal(["before the kill 1", "before the kill 2", "before the kill 3"],
            history.GetProperty("messages").EnumerateArray().Select(m => m.Str("text")));
    }
}
