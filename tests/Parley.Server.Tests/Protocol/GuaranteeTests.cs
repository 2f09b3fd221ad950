using System.Globalization;
using System.Text.RegularExpressions;
using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Protocol;

/// <summary>Guarantees 2 to 6 of the protocol, over both transports.</summary>
public abstract partial class GuaranteeTests(Transport transport, ServerFactory? servers = null)
{
    /// <summary>Starts the server under test: one in-process server unless a subclass gives another factory.</summary>
    protected Task<IServerUnderTest> StartServerAsync(IDictionary<string, string>? settings = null) =>
        (servers ?? ServerFactories.InProcess)(settings);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex Rfc3339Milliseconds();

    [Fact]
    public async Task EveryTimestampIsUtcWithMilliseconds()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.ConnectAsync(transport);
        await alice.SendAsync(new HelloFrame { User = "alice" });
        var welcome = await alice.NextAsync();
        await using var bob = await server.HelloAsync(transport, "bob");
        var presence = await alice.NextAsync();
        await bob.SendAsync(new SendFrame { Id = "1", To = "#lobby", Text = "time?" });
        var ack = await bob.NextAsync();
        var message = await alice.NextAsync();
        foreach (var frame in new[] { welcome, presence, ack, message })
        {
            var ts = frame.Str("ts")!;
            Assert.Matches(Rfc3339Milliseconds(), ts);
            var parsed = DateTimeOffset.Parse(ts, CultureInfo.InvariantCulture);
            Assert.InRange(parsed, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        }
    }

    [Fact]
    public async Task EachConversationNumbersItsMessagesFromOneWithoutGaps()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        await using var bob = await server.HelloAsync(transport, "bob");
        await alice.WaitForAsync(f => f.Is("presence"));
        await alice.SendAsync(new JoinFrame { Id = "j", Room = "#dev" });
        await alice.ReplyAsync("j");

        var lobby = new List<long>();
        var dev = new List<long>();
        var direct = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            await alice.SendAsync(new SendFrame { Id = $"l{i}", To = "#lobby", Text = "lobby" });
            lobby.Add((await alice.ReplyAsync($"l{i}")).Num("seq"));
            await alice.SendAsync(new SendFrame { Id = $"d{i}", To = "#dev", Text = "dev" });
            dev.Add((await alice.ReplyAsync($"d{i}")).Num("seq"));
            await alice.SendAsync(new SendFrame { Id = $"m{i}", To = "bob", Text = "direct" });
            direct.Add((await alice.ReplyAsync($"m{i}")).Num("seq"));
            await bob.SendAsync(new SendFrame { Id = $"r{i}", To = "alice", Text = "direct back" });
            direct.Add((await bob.ReplyAsync($"r{i}")).Num("seq"));
        }
        Assert.Equal([1, 2, 3, 4, 5], lobby);
        Assert.Equal([1, 2, 3, 4, 5], dev);
        // both directions of a direct conversation share one sequence
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), direct);
    }

    [Fact]
    public async Task TheSenderGetsAnAckAndNotItsOwnMessage()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        await using var bob = await server.HelloAsync(transport, "bob");
        await alice.WaitForAsync(f => f.Is("presence"));
        await alice.SendAsync(new SendFrame { Id = "x", To = "#lobby", Text = "one" });
        Assert.True((await alice.NextAsync()).Is("ack"));
        Assert.Equal("one", (await bob.NextAsync()).Str("text"));
        // bob has the message, so alice's copy would be queued by now: a ping's pong comes next
        await alice.SendAsync(new PingFrame { Id = "p" });
        Assert.True((await alice.NextAsync()).Is("pong"), "the sender is not sent its own message");
    }

    [Fact]
    public async Task ADirectMessageNamesTheRecipientInToAndTheSenderInFrom()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "Alice");
        await using var bob = await server.HelloAsync(transport, "bob");
        await alice.SendAsync(new SendFrame { Id = "1", To = "BOB", Text = "psst" });
        Assert.True((await alice.ReplyAsync("1")).Is("ack"));
        var message = (await bob.WaitForAsync(f => f.Is("message"))).Match;
        Assert.Equal("bob", message.Str("to"));
        Assert.Equal("Alice", message.Str("from"));
        Assert.Equal("psst", message.Str("text"));
    }

    [Fact]
    public async Task ARepeatedIdGetsTheOriginalAckAndIsNotDeliveredAgain()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        await using var bob = await server.HelloAsync(transport, "bob");
        await alice.WaitForAsync(f => f.Is("presence"));
        await alice.SendAsync(new SendFrame { Id = "same", To = "#lobby", Text = "once" });
        var first = await alice.ReplyAsync("same");
        // a repeat is answered before validation: even a different text gets the original ack
        await alice.SendAsync(new SendFrame { Id = "same", To = "#lobby", Text = "twice?" });
        var second = await alice.ReplyAsync("same");
        Assert.Equal(first.GetRawText(), second.GetRawText());
        await alice.SendAsync(new SendFrame { Id = "next", To = "#lobby", Text = "after" });
        Assert.Equal(2, (await alice.ReplyAsync("next")).Num("seq"));

        Assert.Equal("once", (await bob.NextAsync()).Str("text"));
        Assert.Equal("after", (await bob.NextAsync()).Str("text"));
    }

    [Fact]
    public async Task AnIdWhoseAckLeftMemoryIsStillFoundInTheStore()
    {
        // one ack in memory: the second send pushes the first out, so its repeat must come from the store
        await using var server = await TestServer.StartAsync(new Dictionary<string, string> { ["Parley:IdempotencyCacheSize"] = "1" });
        await using var alice = await server.HelloAsync(transport, "alice");
        await using var bob = await server.HelloAsync(transport, "bob");
        await alice.WaitForAsync(f => f.Is("presence"));
        await alice.SendAsync(new SendFrame { Id = "m1", To = "#lobby", Text = "one" });
        var first = await alice.ReplyAsync("m1");
        await alice.SendAsync(new SendFrame { Id = "m2", To = "#lobby", Text = "two" });
        await alice.ReplyAsync("m2");

        await alice.SendAsync(new SendFrame { Id = "m1", To = "#lobby", Text = "one" });
        Assert.Equal(first.GetRawText(), (await alice.ReplyAsync("m1")).GetRawText());
        await alice.SendAsync(new SendFrame { Id = "m3", To = "#lobby", Text = "three" });
        Assert.Equal(3, (await alice.ReplyAsync("m3")).Num("seq"));
        Assert.Equal("one", (await bob.NextAsync()).Str("text"));
        Assert.Equal("two", (await bob.NextAsync()).Str("text"));
        Assert.Equal("three", (await bob.NextAsync()).Str("text"));
    }

    [Fact]
    public async Task AResendAfterReconnectingGetsTheOriginalAck()
    {
        await using var server = await StartServerAsync();
        var alice = await server.HelloAsync(transport, "alice");
        await alice.SendAsync(new SendFrame { Id = "k1", To = "#lobby", Text = "did this arrive?" });
        var ack = await alice.ReplyAsync("k1");
        alice.Abort();
        await alice.DisposeAsync();

        // a client reconnects as the same person, with its token
        await using var again = await server.ConnectAsync(transport);
        await again.SendAsync(new HelloFrame { User = "alice", Token = alice.Token });
        Assert.True((await again.NextAsync()).Is("welcome"));
        await again.SendAsync(new SendFrame { Id = "k1", To = "#lobby", Text = "did this arrive?" });
        Assert.Equal(ack.GetRawText(), (await again.ReplyAsync("k1")).GetRawText());
        await again.SendAsync(new HistoryRequestFrame { Id = "h", To = "#lobby" });
        Assert.Single((await again.ReplyAsync("h")).GetProperty("messages").EnumerateArray());
    }

    [Fact]
    public async Task ResumeReplaysWhatWasMissedAfterWelcomeAndBeforeAnythingLive()
    {
        await using var server = await StartServerAsync();
        var before = await server.HelloAsync(transport, "alice");
        await using var bob = await server.HelloAsync(transport, "bob");
        for (var i = 1; i <= 2; i++)
        {
            await bob.SendAsync(new SendFrame { Id = $"b{i}", To = "#lobby", Text = $"m{i}" });
            await bob.ReplyAsync($"b{i}");
        }
        await bob.SendAsync(new SendFrame { Id = "d1", To = "alice", Text = "are you there?" });
        await bob.ReplyAsync("d1");
        await before.WaitForAsync(f => f.Str("text") == "m2");
        before.Abort();
        await before.DisposeAsync();
        await bob.WaitForAsync(f => f.Str("event") == "quit");
        for (var i = 3; i <= 5; i++)
        {
            await bob.SendAsync(new SendFrame { Id = $"b{i}", To = "#lobby", Text = $"m{i}" });
            await bob.ReplyAsync($"b{i}");
        }

        await using var alice = await server.ConnectAsync(transport);
        await alice.SendAsync(new HelloFrame { User = "alice", Token = before.Token, Resume = new() { ["#lobby"] = 2, ["bob"] = 0 } });
        Assert.True((await alice.NextAsync()).Is("welcome"));
        var replayed = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var frame = await alice.NextAsync();
            Assert.True(frame.Is("message"), frame.GetRawText());
            Assert.True(frame.GetProperty("resumed").GetBoolean());
            replayed.Add($"{frame.Str("to")} {frame.Num("seq")} {frame.Str("text")}");
        }
        Assert.Equal(["#lobby 3 m3", "#lobby 4 m4", "#lobby 5 m5", "alice 1 are you there?"], replayed);

        await bob.SendAsync(new SendFrame { Id = "b6", To = "#lobby", Text = "live" });
        var live = (await alice.WaitForAsync(f => f.Is("message"))).Match;
        Assert.Equal("live", live.Str("text"));
        Assert.False(live.TryGetProperty("resumed", out _), "a live message is not marked resumed");
    }

    [Fact]
    public async Task ResumeReplaysAtMostOneThousandAndHistoryPagesOn()
    {
        await using var server = await StartServerAsync(new Dictionary<string, string> { ["Parley:FlowControlDisabled"] = "true" });
        await using var bob = await server.HelloAsync(transport, "bob");
        for (var i = 1; i <= 1005; i++)
        {
            await bob.SendAsync(new SendFrame { Id = $"b{i}", To = "#lobby", Text = $"m{i}" });
        }
        await bob.ReplyAsync("b1005", Waits.Long);

        await using var alice = await server.ConnectAsync(transport);
        await alice.SendAsync(new HelloFrame { User = "alice", Resume = new() { ["#lobby"] = 0 } });
        Assert.True((await alice.NextAsync()).Is("welcome"));
        for (var seq = 1; seq <= 1000; seq++)
        {
            Assert.Equal(seq, (await alice.NextAsync()).Num("seq"));
        }
        await alice.SendAsync(new HistoryRequestFrame { Id = "more", To = "#lobby", After = 1000 });
        var page = await alice.NextAsync();
        Assert.Equal("more", page.Id());
        Assert.Equal([1001L, 1002, 1003, 1004, 1005], page.GetProperty("messages").EnumerateArray().Select(m => m.Num("seq")));
        Assert.False(page.GetProperty("more").GetBoolean());
    }

    [Fact]
    public async Task ResumeRejoinsTheRoomsItNames()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.ConnectAsync(transport);
        await alice.SendAsync(new HelloFrame { User = "alice", Resume = new() { ["#dev"] = 0 } });
        var welcome = await alice.NextAsync();
        Assert.Equal(["#lobby", "#dev"], welcome.Strings("rooms"));
        await using var bob = await server.HelloAsync(transport, "bob");
        await bob.SendAsync(new WhoRequestFrame { Id = "w", Room = "#dev" });
        Assert.Equal(["alice"], (await bob.ReplyAsync("w")).Strings("users"));
    }

    [Fact]
    public async Task HistoryPagesBackwardAndForward()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        for (var i = 1; i <= 12; i++)
        {
            await alice.SendAsync(new SendFrame { Id = $"a{i}", To = "#lobby", Text = $"m{i}" });
        }
        await alice.ReplyAsync("a12");

        async Task<string> Page(HistoryRequestFrame request)
        {
            request.Id = "h";
            request.To = "#lobby";
            await alice.SendAsync(request);
            var page = await alice.ReplyAsync("h");
            Assert.Equal("#lobby", page.Str("to"));
            var seqs = string.Join(",", page.GetProperty("messages").EnumerateArray().Select(m => m.Num("seq")));
            return $"{seqs} more={page.GetProperty("more").GetBoolean()}";
        }

        Assert.Equal("8,9,10,11,12 more=True", await Page(new HistoryRequestFrame { Limit = 5 }));
        Assert.Equal("3,4,5,6,7 more=True", await Page(new HistoryRequestFrame { Limit = 5, Before = 8 }));
        Assert.Equal("1,2 more=False", await Page(new HistoryRequestFrame { Limit = 5, Before = 3 }));
        Assert.Equal("3,4,5 more=True", await Page(new HistoryRequestFrame { Limit = 3, After = 2 }));
        Assert.Equal("11,12 more=False", await Page(new HistoryRequestFrame { Limit = 3, After = 10 }));
        Assert.Equal("1,2,3,4,5,6,7,8,9,10,11,12 more=False", await Page(new HistoryRequestFrame()));
    }

    [Fact]
    public async Task ALimitAboveFiveHundredIsTakenAsFiveHundred()
    {
        await using var server = await StartServerAsync(new Dictionary<string, string> { ["Parley:FlowControlDisabled"] = "true" });
        await using var alice = await server.HelloAsync(transport, "alice");
        for (var i = 1; i <= 501; i++)
        {
            await alice.SendAsync(new SendFrame { Id = $"a{i}", To = "#lobby", Text = "x" });
        }
        await alice.ReplyAsync("a501", Waits.Long);
        await alice.SendAsync(new HistoryRequestFrame { Id = "h", To = "#lobby", Limit = 10_000 });
        var page = await alice.ReplyAsync("h");
        Assert.Equal(500, page.GetProperty("messages").GetArrayLength());
        Assert.Equal(2, page.GetProperty("messages")[0].Num("seq"));
        Assert.True(page.GetProperty("more").GetBoolean());
    }

    /// <summary>A dropped connection frees its name once the server has seen the drop; retry hello until then.</summary>
    internal static async Task<RawClient> HelloWhenFreeAsync(IServerUnderTest server, string user, string? password = null, Transport transport = Transport.Tcp) =>
        (await HelloWhenFreeWithWelcomeAsync(server, user, password, transport)).Client;

    /// <summary>As <see cref="HelloWhenFreeAsync"/>, also returning the welcome.</summary>
    /// <remarks>
    /// One connection asks again and again (a refused hello leaves it open), so that waiting opens no
    /// connections by the hundred. A name still shown in <c>who</c> is waited for with the server's own
    /// view; one kept through a guest's grace period, which only time ends, is asked for every 50 ms.
    /// </remarks>
    internal static async Task<(RawClient Client, System.Text.Json.JsonElement Welcome)> HelloWhenFreeWithWelcomeAsync(
        IServerUnderTest server, string user, string? password = null, Transport transport = Transport.Tcp)
    {
        using var deadline = new CancellationTokenSource(Waits.Frame);
        var client = await server.ConnectAsync(transport);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                await client.SendAsync(new HelloFrame { Id = $"free{attempt}", User = user, Password = password });
                var reply = await client.ReplyAsync($"free{attempt}");
                if (reply.Is("welcome"))
                {
                    return (client, reply);
                }
                reply.AssertError("username_taken");
                Assert.False(deadline.IsCancellationRequested, $"{user} was never freed");
                if (attempt > 0 || !await WaitUntilGoneAsync(server, user, deadline.Token))
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
                }
            }
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    // false when the name was not shown as online to begin with (then only time frees it)
    private static async Task<bool> WaitUntilGoneAsync(IServerUnderTest server, string user, CancellationToken cancellationToken)
    {
        await using var watcher = await server.ConnectAsync(Transport.Tcp);
        await watcher.SendAsync(new HelloFrame { User = "watcher" + Guid.NewGuid().ToString("N")[..8] });
        await watcher.NextAsync();
        for (var asked = 0; !cancellationToken.IsCancellationRequested; asked++)
        {
            await watcher.SendAsync(new WhoRequestFrame { Id = "w", Room = "#lobby" });
            var who = await watcher.ReplyAsync("w");
            if (!who.Strings("users").Contains(user, StringComparer.OrdinalIgnoreCase))
            {
                return asked > 0;
            }
        }
        return true;
    }
}

public sealed class TcpGuaranteeTests() : GuaranteeTests(Transport.Tcp);

public sealed class WebSocketGuaranteeTests() : GuaranteeTests(Transport.WebSocket);
