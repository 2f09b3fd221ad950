using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Limits;

/// <summary>Clients that do not read cannot pin the server's memory: every byte held counts, and all of it has a budget.</summary>
public sealed class OutgoingMemoryTests
{
    private const int LongText = 3900;

    [Fact]
    public async Task APageOfHistoryIsMadeOnlyOnceItsClientTookThePreviousOne()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string> { ["Parley:FlowControlDisabled"] = "true" });
        await using (var writer = await server.HelloAsync(Transport.Tcp, "writer"))
        {
            await SendAllAckedAsync(writer, 500);
        }
        await using var stalled = await RawClient.ConnectTcpAsync(server.Tcp, startReading: false);
        await stalled.SendAsync(new HelloFrame { User = "stalled" });
        // more pages than the sockets' buffers between server and client take (a few MB on loopback)
        for (var i = 1; i <= 5; i++)
        {
            await stalled.SendAsync(new HistoryRequestFrame { Id = $"h{i}", To = "#lobby", Limit = 500 });
        }
        await stalled.SendAsync(new PingFrame { Id = "p" });

        // once the buffers are full, a page waits for the one before it to be taken: the connection holds
        // one page at most, not five
        await Waits.UntilAsync(() => server.Counters.Total("parley.history.waits") >= 1);
        var page = 500L * (LongText + 100);
        Assert.InRange(server.Host.Server.OutgoingBytes(), 0, page * 3 / 2);

        stalled.StartReading();
        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal(500, (await stalled.ReplyAsync($"h{i}", Waits.Long)).GetProperty("messages").GetArrayLength());
        }
        Assert.True((await stalled.ReplyAsync("p")).Is("pong"));
    }

    [Fact]
    public async Task PastTheServersBudgetTheLargestHoldersAreCutWhileReadersGetEverything()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["Parley:FlowControlDisabled"] = "true",
            ["Parley:OutgoingQueueBytes"] = "67108864",
            ["Parley:Limits:OutgoingBytes"] = "3000000",
        });
        var stalled = new List<RawClient>();
        for (var i = 0; i < 3; i++)
        {
            var client = await RawClient.ConnectTcpAsync(server.Tcp, startReading: false);
            await client.SendAsync(new HelloFrame { User = $"stalled{i}" });
            stalled.Add(client);
        }
        await using var reader = await server.HelloAsync(Transport.Tcp, "reader");
        await using var sender = await server.HelloAsync(Transport.Tcp, "sender");
        try
        {
            await SendAllAckedAsync(sender, 2000);

            // the reader got every message, in order
            var received = 0L;
            while (received < 2000)
            {
                var frame = (await reader.WaitForAsync(f => f.Is("message"), Waits.Long)).Match;
                Assert.Equal(++received, frame.Num("seq"));
            }
            // what the server holds comes back within its budget (its sweep runs a few times a second): the
            // largest holders were cut as slow consumers, as many as it took; a stalled one left standing has
            // every message waiting for it
            await Waits.UntilAsync(() => server.Host.Server.OutgoingBytes() <= 3_000_000);
            var cut = 0;
            foreach (var client in stalled)
            {
                client.StartReading();
                var (last, _) = await client.WaitForAsync(f => f.Str("code") == "slow_consumer" || (f.Is("message") && f.Num("seq") == 2000), Waits.Long);
                cut += last.Is("error") ? 1 : 0;
            }
            Assert.InRange(cut, 1, 3);
            Assert.True(server.Counters.Total("parley.refusals", "outgoing_memory") >= 1);
        }
        finally
        {
            foreach (var client in stalled)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static async Task SendAllAckedAsync(RawClient sender, int count)
    {
        var text = new string('x', LongText);
        const int window = 50;
        var acks = 0;
        for (var i = 1; i <= count; i++)
        {
            await sender.SendAsync(new SendFrame { Id = $"s{i}", To = "#lobby", Text = text });
            if (i - acks >= window)
            {
                await sender.WaitForAsync(f => f.Is("ack"), Waits.Long);
                acks++;
            }
        }
        while (acks < count)
        {
            await sender.WaitForAsync(f => f.Is("ack"), Waits.Long);
            acks++;
        }
    }
}
