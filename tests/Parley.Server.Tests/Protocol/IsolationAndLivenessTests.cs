using Parley.Protocol.Frames;
using Parley.Server.Tests.Transports;
using Parley.Testing;

namespace Parley.Server.Tests.Protocol;

/// <summary>Guarantees 7 (isolation) and 9 (liveness).</summary>
public abstract class LivenessTests(Transport transport, ServerFactory? servers = null)
{
    /// <summary>Starts the server under test: one in-process server unless a subclass gives another factory.</summary>
    protected Task<IServerUnderTest> StartServerAsync(IDictionary<string, string>? settings = null) =>
        (servers ?? ServerFactories.InProcess)(settings);

    [Fact]
    public async Task ASilentConnectionIsClosedWithoutAFrame()
    {
        await using var server = await StartServerAsync(new Dictionary<string, string> { ["Parley:IdleTimeout"] = Waits.ShortIdleTimeout });
        await using var silent = await server.HelloAsync(transport, "silent");
        Assert.Empty(await silent.ClosedAsync());
    }

    [Fact]
    public async Task AConnectionThatPingsStaysOpenPastTheIdleTimeout()
    {
        // the talker says nothing between its hello and its first ping, while the second hello runs
        await using var server = await StartServerAsync(new Dictionary<string, string> { ["Parley:IdleTimeout"] = Waits.ShortIdleTimeout });
        await using var talker = await server.HelloAsync(transport, "talker");
        await using var silent = await server.HelloAsync(transport, "silent");
        // the silent one is the clock: while it times out, the pinging one keeps answering
        var closed = silent.ClosedAsync();
        var pings = 0;
        while (!closed.IsCompleted)
        {
            await talker.SendAsync(new PingFrame { Id = "p" });
            Assert.Equal("pong", (await talker.ReplyAsync("p")).Type());
            pings++;
        }
        await closed;
        await talker.SendAsync(new PingFrame { Id = "last" });
        Assert.Equal("pong", (await talker.ReplyAsync("last")).Type());
        Assert.True(pings > 1);
    }
}

public sealed class TcpLivenessTests() : LivenessTests(Transport.Tcp);

public sealed class WebSocketLivenessTests() : LivenessTests(Transport.WebSocket);

public sealed class IsolationTests
{
    [Theory]
    [InlineData(Transport.Tcp, false)]
    [InlineData(Transport.WebSocket, false)]
    [InlineData(Transport.Tcp, true)]
    public async Task AStalledClientIsDisconnectedAsSlowConsumerWithoutSlowingTheOthers(Transport transport, bool tls)
    {
        var settings = Flooding(queueBytes: "1048576");
        // the stalled client reads only once the reader has seen everything, which on a loaded machine
        // took longer than the default 2 s its slow_consumer frame waits for a reader
        settings["Parley:FinalFrameTimeout"] = "00:01:00";
        // inside TLS, the write the stalled client holds up must be waited out, not cut, for slow_consumer to follow it
        await using var server = tls ? await TestServer.StartTlsAsync(settings) : await TestServer.StartAsync(settings);
        await using var stalled = await HelloWithoutReadingAsync(server, "stalled", transport);
        await using var sender = await server.HelloAsync(transport, "sender");
        await using var reader = await server.HelloAsync(transport, "reader");

        // enough text to fill the stalled client's socket buffers and then its queue
        const int count = 3000;
        await SendAllAckedAsync(sender, new string('x', 3900), count);
        // the reader gets everything, in order, while the stalled client reads nothing
        var seq = 0L;
        var stalledQuit = false;
        while (seq < count)
        {
            var frame = await reader.NextAsync(Waits.Long);
            if (frame.Is("message"))
            {
                Assert.Equal(seq + 1, frame.Num("seq"));
                seq = frame.Num("seq");
            }
            stalledQuit |= IsQuitOfStalled(frame);
        }

        stalled.StartReading();
        var frames = await stalled.ClosedAsync(Waits.Long);
        frames[^1].AssertError("slow_consumer");
        Assert.True(frames.Count < count, "what was queued was dropped");
        // and its session is over: over TCP as soon as it overflowed; over WebSocket the server's read loop
        // waits for the close handshake, which this test client does not answer: it leaves instead
        stalled.Abort();
        if (!stalledQuit)
        {
            await reader.WaitForAsync(IsQuitOfStalled, Waits.Long);
        }

        static bool IsQuitOfStalled(System.Text.Json.JsonElement frame) => frame.Str("event") == "quit" && frame.Str("user") == "stalled";
    }

    [Fact]
    public async Task AClientThatFallsBehindGetsEveryMessageInOrderOnceItReadsAgain()
    {
        // a queue that holds everything: the client must fall behind its socket, never overflow
        await using var server = await TestServer.StartAsync(Flooding(queueBytes: "67108864"));
        await using var lagging = await HelloWithoutReadingAsync(server, "lagging");
        await using var sender = await server.HelloAsync(Transport.Tcp, "sender");

        // about 12 MB while the lagging client reads nothing: more than the kernel buffers of a
        // connection whose reader is idle (send buffer at most 4 MB here, receive buffer 128 KiB), so
        // the server's writes would block and the rest has to wait on the server's side
        var text = new string('y', 3900);
        const int count = 3000;
        await SendAllAckedAsync(sender, text, count);

        lagging.StartReading();
        var seq = 0L;
        while (seq < count)
        {
            var frame = await lagging.NextAsync(Waits.Long);
            if (frame.Is("message"))
            {
                Assert.Equal(seq + 1, frame.Num("seq"));
                Assert.Equal(text, frame.Str("text"));
                seq = frame.Num("seq");
            }
        }
        // and the connection goes on working after the backlog
        await sender.SendAsync(new SendFrame { Id = "after", To = "#lobby", Text = "caught up" });
        var (next, _) = await lagging.WaitForAsync(f => f.Is("message"), Waits.Long);
        Assert.Equal(count + 1, next.Num("seq"));
        Assert.Equal("caught up", next.Str("text"));
    }

    [Fact]
    public async Task AStopCutsOffAClientThatReadsNothingOnceItsGraceIsOver()
    {
        var settings = Flooding(queueBytes: "67108864");
        settings["Parley:ShutdownGrace"] = "00:00:01";
        await using var server = await TestServer.StartAsync(settings);
        await using var stalled = await HelloWithoutReadingAsync(server, "stalled");
        await using var sender = await server.HelloAsync(Transport.Tcp, "sender");
        // more than the stalled client's socket buffers hold: its writer waits on the socket
        await SendAllAckedAsync(sender, new string('z', 3900), 3000);

        // the stop neither waits forever for the stalled client nor keeps the reading one from its last frame
        await server.StopAsync().WaitAsync(Waits.Long);
        (await sender.ClosedAsync(Waits.Long))[^1].AssertError("server_shutdown");
        stalled.StartReading();
        var frames = await stalled.ClosedAsync(Waits.Long);
        Assert.True(frames.Count < 3000, "the stalled client was cut off, not served to the end");
    }

    [Fact]
    public async Task AStopCutsOffAWebSocketClientThatReadsNothingOnceItsGraceIsOver()
    {
        var settings = Flooding(queueBytes: "67108864");
        settings["Parley:ShutdownGrace"] = "00:00:01";
        await using var server = await TestServer.StartAsync(settings);
        await using var stalled = await RawWebSocket.ConnectAsync(server.Http, after: RawWebSocket.MaskedTextFrame("""{"type":"hello","user":"stalled"}"""), smallReceiveBuffer: true);
        await using var sender = await server.HelloAsync(Transport.Tcp, "sender");
        await SendAllAckedAsync(sender, new string('z', 3900), 3000);

        await server.StopAsync().WaitAsync(Waits.Long);
        (await sender.ClosedAsync(Waits.Long))[^1].AssertError("server_shutdown");
        var messages = 0;
        while (await stalled.ReceiveTextAsync(Waits.Long) is { } text)
        {
            messages += text.Contains("\"type\":\"message\"", StringComparison.Ordinal) ? 1 : 0;
        }
        Assert.True(messages < 3000, "the stalled client was cut off, not served to the end");
    }

    // no flow control, so that one sender can fill a client's socket buffers and then its queue
    private static Dictionary<string, string> Flooding(string queueBytes) => new()
    {
        ["Parley:OutgoingQueueBytes"] = queueBytes,
        ["Parley:FlowControlDisabled"] = "true",
    };

    // a client that says hello and then reads nothing until StartReading
    private static async Task<RawClient> HelloWithoutReadingAsync(TestServer server, string user, Transport transport = Transport.Tcp)
    {
        var client = (transport, server.Certificate) switch
        {
            (Transport.Tcp, null) => await RawClient.ConnectTcpAsync(server.Tcp, startReading: false),
            (Transport.Tcp, { } tls) => await RawClient.ConnectTlsAsync(server.Tcp, tls.Certificate, startReading: false),
            _ => await RawClient.ConnectWebSocketAsync(server.WebSocketUri, startReading: false),
        };
        await client.SendAsync(new HelloFrame { User = user });
        return client;
    }

    // sends count texts to #lobby and waits for every ack
    private static async Task SendAllAckedAsync(RawClient sender, string text, int count)
    {
        // a window of sends in flight: a reader keeps up, only a client that does not read falls behind
        const int window = 50;
        var acks = 0;
        for (var i = 1; i <= count; i++)
        {
            await sender.SendAsync(new SendFrame { Id = $"s{i}", To = "#lobby", Text = text });
            if (i - acks >= window)
            {
                acks += await CountAcksAsync(sender, 1);
            }
        }
        acks += await CountAcksAsync(sender, count - acks);
        Assert.Equal(count, acks);
    }

    private static async Task<int> CountAcksAsync(RawClient sender, int wanted)
    {
        var acks = 0;
        while (acks < wanted)
        {
            if ((await sender.NextAsync(Waits.Long)).Is("ack"))
            {
                acks++;
            }
        }
        return acks;
    }
}
