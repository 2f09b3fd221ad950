using System.Net;
using System.Net.WebSockets;
using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Limits;

/// <summary>
/// The limits against one abusive address, tested as such: the attacker and the legitimate users are
/// different loopback addresses (127.0.0.2, 127.0.0.3, …), never lifted limits.
/// </summary>
public sealed class LimitTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Neighbour = IPAddress.Parse("127.0.0.3");
    private static readonly IPAddress Owner = IPAddress.Parse("127.0.0.4");

    [Fact]
    public async Task OneAddressHoldsAtMostItsConnectionsOverBothTransportsAndTheNextIsToldAndClosed()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["Parley:Limits:ConnectionsPerAddress"] = "4",
        });
        var held = new List<RawClient>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                held.Add(await HelloFromAsync(server, Transport.Tcp, Attacker, $"t{i}"));
                held.Add(await HelloFromAsync(server, Transport.WebSocket, Attacker, $"w{i}"));
            }

            await using var fifth = await RawClient.ConnectTcpFromAsync(server.Tcp, Attacker);
            var refused = await fifth.ClosedAsync();
            Assert.Equal("too_many_connections", Assert.Single(refused).Str("code"));
            var webSocket = await Assert.ThrowsAsync<HandshakeRefusedException>(() => RawClient.ConnectWebSocketFromAsync(server.WebSocketUri, Attacker));
            Assert.Equal(HttpStatusCode.TooManyRequests, webSocket.Status);

            // others are not affected, and a connection that ends makes room again
            await using var neighbour = await HelloFromAsync(server, Transport.Tcp, Neighbour, "neighbour");
            await held[0].DisposeAsync();
            held.RemoveAt(0);
            await using var again = await RetryUntilAdmittedAsync(server, Attacker);
        }
        finally
        {
            foreach (var client in held)
            {
                await client.DisposeAsync();
            }
        }
        Assert.True(server.Counters.Total("parley.refusals", "connections") >= 2);
    }

    [Fact]
    public async Task AnAddressOpeningConnectionsTooFastIsRefusedAndOthersAreNot()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["Parley:Limits:NewConnectionsPerSecond"] = "0.1",
            ["Parley:Limits:NewConnectionsBurst"] = "3",
        });
        for (var i = 0; i < 3; i++)
        {
            await using var admitted = await HelloFromAsync(server, Transport.Tcp, Attacker, $"a{i}");
        }

        await using var fourth = await RawClient.ConnectTcpFromAsync(server.Tcp, Attacker);
        Assert.Equal("too_many_connections", Assert.Single(await fourth.ClosedAsync()).Str("code"));
        await using var neighbour = await HelloFromAsync(server, Transport.Tcp, Neighbour, "neighbour");
        Assert.Equal(1, server.Counters.Total("parley.refusals", "churn"));
    }

    [Fact]
    public async Task GuessingOnePasswordFromOneAddressIsHeldBackWithoutHashingWhileTheOwnerSignsInElsewhere()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["Parley:Limits:PasswordFailuresPerAccount"] = "3",
            ["Parley:Limits:PasswordFailureWindow"] = "00:00:03",
        });
        await RegisterAsync(server, "alice", "correct horse");
        await using var guesser = await RawClient.ConnectTcpFromAsync(server.Tcp, Attacker);
        for (var i = 0; i < 3; i++)
        {
            await guesser.SendAsync(new HelloFrame { Id = $"g{i}", User = "alice", Password = $"guess {i}" });
            (await guesser.ReplyAsync($"g{i}")).AssertError("auth_failed", $"g{i}");
        }
        var hashed = server.Counters.Total("parley.password.hashes");

        // past the limit even the right password waits, and no hash is computed for it
        await guesser.SendAsync(new HelloFrame { Id = "held", User = "alice", Password = "correct horse" });
        var held = await guesser.ReplyAsync("held");
        held.AssertError("rate_limited", "held");
        Assert.InRange(held.Num("retryAfterMs"), 1, 3000);
        Assert.Equal(hashed, server.Counters.Total("parley.password.hashes"));

        // the owner, from elsewhere, is not held back
        await using (var owner = await RawClient.ConnectTcpFromAsync(server.Tcp, Owner))
        {
            await owner.SendAsync(new HelloFrame { Id = "h", User = "alice", Password = "correct horse" });
            Assert.True((await owner.ReplyAsync("h")).Is("welcome"));
            await owner.SendAsync(new QuitFrame());
            await owner.ClosedAsync();
        }

        // and the right password works from the guesser's address once the wait it was told is over
        var welcome = await HelloAfterWaitingAsync(guesser, "alice", "correct horse");
        Assert.True(welcome.Is("welcome"), welcome.GetRawText());
    }

    [Fact]
    public async Task AnAddressGuessingOverManyAccountsIsHeldBackForEveryAccount()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["Parley:Limits:PasswordFailuresPerAddress"] = "3",
        });
        foreach (var name in new[] { "ann", "ben", "cid", "dot" })
        {
            await RegisterAsync(server, name, "correct horse");
        }
        await using var guesser = await RawClient.ConnectTcpFromAsync(server.Tcp, Attacker);
        foreach (var name in new[] { "ann", "ben", "cid" })
        {
            await guesser.SendAsync(new HelloFrame { Id = name, User = name, Password = "wrong" });
            (await guesser.ReplyAsync(name)).AssertError("auth_failed", name);
        }

        await guesser.SendAsync(new HelloFrame { Id = "dot", User = "dot", Password = "wrong" });
        (await guesser.ReplyAsync("dot")).AssertError("rate_limited", "dot");
        await using var neighbour = await RawClient.ConnectTcpFromAsync(server.Tcp, Neighbour);
        await neighbour.SendAsync(new HelloFrame { Id = "dot", User = "dot", Password = "correct horse" });
        Assert.True((await neighbour.ReplyAsync("dot")).Is("welcome"));
    }

    [Fact]
    public async Task AnAccountGuessedFromManyAddressesGetsOnePasswordCheckASecondButItsTokensAreNeverHeldBack()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["Parley:Limits:PasswordFailuresPerAccountHourly"] = "3",
        });
        var token = await RegisterAsync(server, "alice", "correct horse");
        for (var i = 0; i < 3; i++)
        {
            await using var guesser = await RawClient.ConnectTcpFromAsync(server.Tcp, IPAddress.Parse($"127.0.1.{i + 1}"));
            await guesser.SendAsync(new HelloFrame { Id = "g", User = "alice", Password = "wrong" });
            (await guesser.ReplyAsync("g")).AssertError("auth_failed", "g");
        }

        // two checks in the same second from two new addresses: the first runs, the second waits
        await using var first = await RawClient.ConnectTcpFromAsync(server.Tcp, IPAddress.Parse("127.0.1.10"));
        await using var second = await RawClient.ConnectTcpFromAsync(server.Tcp, IPAddress.Parse("127.0.1.11"));
        await first.SendAsync(new HelloFrame { Id = "1", User = "alice", Password = "wrong again" });
        await second.SendAsync(new HelloFrame { Id = "2", User = "alice", Password = "wrong again" });
        var codes = new[] { (await first.ReplyAsync("1")).Str("code"), (await second.ReplyAsync("2")).Str("code") };
        Assert.Contains("rate_limited", codes);

        await using var owner = await RawClient.ConnectTcpFromAsync(server.Tcp, Owner);
        await owner.SendAsync(new HelloFrame { Id = "t", User = "alice", Token = token });
        Assert.True((await owner.ReplyAsync("t")).Is("welcome"));
    }

    [Fact]
    public async Task OneAddressRegistersOnlySoManyAccountsAnHour()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["Parley:Limits:RegistrationsPerAddressHourly"] = "2",
        });
        for (var i = 0; i < 2; i++)
        {
            await using var farmed = await HelloFromAsync(server, Transport.Tcp, Attacker, $"farm{i}");
            await farmed.SendAsync(new RegisterFrame { Id = "r", Password = "correct horse" });
            Assert.True((await farmed.ReplyAsync("r")).Is("registered"));
        }

        await using var third = await HelloFromAsync(server, Transport.Tcp, Attacker, "farm2");
        await third.SendAsync(new RegisterFrame { Id = "r", Password = "correct horse" });
        var refused = await third.ReplyAsync("r");
        refused.AssertError("rate_limited", "r");
        Assert.InRange(refused.Num("retryAfterMs"), 3_000_000, 3_600_000);
        await using var neighbour = await HelloFromAsync(server, Transport.Tcp, Neighbour, "neighbour");
        await neighbour.SendAsync(new RegisterFrame { Id = "r", Password = "correct horse" });
        Assert.True((await neighbour.ReplyAsync("r")).Is("registered"));
    }

    [Fact]
    public async Task OverTlsTheLimitsCountEachClientsOwnAddressToo()
    {
        await using var server = await TestServer.StartTlsAsync(new Dictionary<string, string>
        {
            ["Parley:Limits:RegistrationsPerAddressHourly"] = "1",
        });
        var certificate = server.Certificate!.Certificate;
        Assert.True(await RegisterOverTlsAsync(Attacker, "farm0"));
        Assert.False(await RegisterOverTlsAsync(Attacker, "farm1"));
        // a TLS client once had no address to the limits, and shared the attacker's allowance
        Assert.True(await RegisterOverTlsAsync(Neighbour, "neighbour"));

        async Task<bool> RegisterOverTlsAsync(IPAddress from, string user)
        {
            await using var client = await RawClient.ConnectTlsAsync(server.Tcp, certificate, from: from);
            await client.SendAsync(new HelloFrame { Id = "h", User = user });
            Assert.True((await client.ReplyAsync("h")).Is("welcome"));
            await client.SendAsync(new RegisterFrame { Id = "r", Password = "correct horse" });
            return (await client.ReplyAsync("r")).Is("registered");
        }
    }

    [Fact]
    public async Task WhenPasswordHashingIsAtCapacityAHelloIsRefusedAtOnceInsteadOfPilingUp()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string> { ["Parley:Limits:PasswordQueue"] = "0" });
        await RegisterAsync(server, "alice", "correct horse");
        var clients = new List<RawClient>();
        try
        {
            for (var i = 0; i < 12; i++)
            {
                var client = await RawClient.ConnectTcpFromAsync(server.Tcp, IPAddress.Parse($"127.0.2.{i + 1}"));
                clients.Add(client);
                await client.SendAsync(new HelloFrame { Id = "h", User = "alice", Password = "wrong" });
            }
            var codes = new List<string?>();
            foreach (var client in clients)
            {
                codes.Add((await client.ReplyAsync("h")).Str("code"));
            }
            Assert.Contains("rate_limited", codes);
            Assert.Contains("auth_failed", codes);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
        Assert.True(server.Counters.Total("parley.refusals", "password_queue") >= 1);
    }

    [Fact]
    public async Task AConnectionJoiningRoomsTooFastIsRateLimited()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string> { ["Parley:Limits:JoinsPerSecond"] = "2" });
        await using var alice = await server.HelloAsync(Transport.Tcp, "alice");
        var codes = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            await alice.SendAsync(new JoinFrame { Id = $"j{i}", Room = $"#room{i}" });
            var reply = await alice.ReplyAsync($"j{i}");
            codes.Add(reply.Is("joined") ? "joined" : reply.Str("code"));
        }
        Assert.Equal(["joined", "joined", "rate_limited", "rate_limited"], codes);
    }

    [Fact]
    public async Task AWebSocketFromAForeignPageIsRefusedWhileTheServersOwnAndNonBrowserClientsConnect()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["Parley:AllowedOrigins:0"] = "https://chat.example.org",
        });

        var foreign = await Assert.ThrowsAsync<HandshakeRefusedException>(
            () => RawClient.ConnectWebSocketFromAsync(server.WebSocketUri, from: null, origin: "https://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.Status);
        await using var own = await RawClient.ConnectWebSocketFromAsync(server.WebSocketUri, from: null, origin: "https://CHAT.example.org");
        await using var script = await RawClient.ConnectWebSocketFromAsync(server.WebSocketUri, from: null);
        await own.SendAsync(new HelloFrame { User = "alice" });
        Assert.True((await own.NextAsync()).Is("welcome"));
        await script.SendAsync(new HelloFrame { User = "bob" });
        Assert.True((await script.NextAsync()).Is("welcome"));
    }

    [Fact]
    public async Task AnOversizeWebSocketMessageClosesWithStatus1009()
    {
        await using var server = await TestServer.StartAsync();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(server.WebSocketUri, CancellationToken.None).WaitAsync(Waits.Frame);

        await socket.SendAsync(new byte[70_000], WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Waits.Frame);
        var buffer = new byte[4096];
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Waits.Frame);
        }
        while (result.MessageType != WebSocketMessageType.Close);

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, result.CloseStatus);
    }

    [Fact]
    public async Task DisabledLimitsHoldBackNothing()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["Parley:Limits:Disabled"] = "true",
            ["Parley:Limits:ConnectionsPerAddress"] = "1",
            ["Parley:Limits:JoinsPerSecond"] = "0.001",
        });
        await using var first = await HelloFromAsync(server, Transport.Tcp, Attacker, "first");
        await using var second = await HelloFromAsync(server, Transport.WebSocket, Attacker, "second");
        for (var i = 0; i < 3; i++)
        {
            await second.SendAsync(new JoinFrame { Id = $"j{i}", Room = $"#room{i}" });
            Assert.True((await second.ReplyAsync($"j{i}")).Is("joined"));
        }
    }

    [Fact]
    public async Task RefusalsAreCountedInMetricsAndLoggedOncePerAddressAMinute()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string> { ["Parley:Limits:ConnectionsPerAddress"] = "1" });
        await using var holder = await HelloFromAsync(server, Transport.Tcp, Attacker, "holder");
        for (var i = 0; i < 5; i++)
        {
            await using var refused = await RawClient.ConnectTcpFromAsync(server.Tcp, Attacker);
            Assert.Equal("too_many_connections", Assert.Single(await refused.ClosedAsync()).Str("code"));
        }

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri($"http://{server.Http}/metrics")).WaitAsync(Waits.Frame);
        Assert.Equal(5, PrometheusText.Value(metrics, "parley_refusals_total", ("reason", "connections")));
        Assert.Single(server.Logs.Warnings, w => w.Contains("Refused connections from 127.0.0.2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARoomLeftWithNoMemberAndNoMessageIsFreedAndItsLookIsFreeAgain()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.HelloAsync(Transport.Tcp, "alice");
        await alice.SendAsync(new JoinFrame { Id = "j", Room = "#rnd" });
        Assert.True((await alice.ReplyAsync("j")).Is("joined"));
        await alice.SendAsync(new JoinFrame { Id = "k", Room = "#kept" });
        await alice.ReplyAsync("k");
        await alice.SendAsync(new SendFrame { Id = "s", To = "#kept", Text = "this room has history" });
        await alice.ReplyAsync("s");
        foreach (var room in new[] { "#rnd", "#kept" })
        {
            await alice.SendAsync(new LeaveFrame { Id = "l" + room, Room = room });
            await alice.ReplyAsync("l" + room);
        }

        await alice.SendAsync(new RoomsRequestFrame { Id = "r" });
        Assert.Equal(["#lobby"], (await alice.ReplyAsync("r")).GetProperty("rooms").EnumerateArray().Select(r => r.Str("room")));
        // #rnd is gone, so a room that looks like it may be made; #kept, with its history, still stands
        await using var bob = await server.HelloAsync(Transport.Tcp, "bob");
        var made = await JoinWhenFreedAsync(bob, "#md");
        Assert.Equal("#md", made.Str("room"));
        await bob.SendAsync(new JoinFrame { Id = "kept", Room = "#kepf" });
        Assert.True((await bob.ReplyAsync("kept")).Is("joined"), "#kepf does not look like #kept");
        await bob.SendAsync(new HistoryRequestFrame { Id = "h", To = "#kept" });
        Assert.Single((await bob.ReplyAsync("h")).GetProperty("messages").EnumerateArray());
    }

    // the freed room leaves the store just after its last member: a lookalike made at once may still meet it
    private static async Task<System.Text.Json.JsonElement> JoinWhenFreedAsync(RawClient client, string room)
    {
        using var deadline = new CancellationTokenSource(Waits.Frame);
        for (var attempt = 0; ; attempt++)
        {
            await client.SendAsync(new JoinFrame { Id = $"m{attempt}", Room = room });
            var reply = await client.ReplyAsync($"m{attempt}");
            if (reply.Is("joined"))
            {
                return reply;
            }
            reply.AssertError("invalid_room");
            Assert.False(deadline.IsCancellationRequested, $"{room} never became free");
            await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
        }
    }

    private static async Task<RawClient> HelloFromAsync(TestServer server, Transport transport, IPAddress from, string user)
    {
        var client = transport == Transport.Tcp
            ? await RawClient.ConnectTcpFromAsync(server.Tcp, from)
            : await RawClient.ConnectWebSocketFromAsync(server.WebSocketUri, from);
        await client.SendAsync(new HelloFrame { Id = "h", User = user });
        var welcome = await client.ReplyAsync("h");
        Assert.True(welcome.Is("welcome"), welcome.GetRawText());
        client.Welcome = welcome;
        return client;
    }

    // a connection that ended is counted out as soon as the server has seen it go: until then the next waits
    private static async Task<RawClient> RetryUntilAdmittedAsync(TestServer server, IPAddress from)
    {
        using var deadline = new CancellationTokenSource(Waits.Frame);
        while (true)
        {
            var client = await RawClient.ConnectTcpFromAsync(server.Tcp, from);
            await client.SendAsync(new PingFrame { Id = "p" });
            var reply = await client.NextAsync();
            if (reply.Is("error") && reply.Str("id") == "p")
            {
                // not_authenticated: admitted, and the session answers
                return client;
            }
            await client.DisposeAsync();
            Assert.False(deadline.IsCancellationRequested, "the ended connection was never counted out");
        }
    }

    private static async Task<string> RegisterAsync(TestServer server, string name, string password)
    {
        await using var client = await server.HelloAsync(Transport.Tcp, name);
        await client.SendAsync(new RegisterFrame { Id = "r", Password = password });
        var registered = await client.ReplyAsync("r");
        Assert.True(registered.Is("registered"), registered.GetRawText());
        await client.SendAsync(new QuitFrame());
        await client.ClosedAsync();
        return registered.Str("token")!;
    }

    // waits as long as the server says, and asks again: what a client does with retryAfterMs
    private static async Task<System.Text.Json.JsonElement> HelloAfterWaitingAsync(RawClient client, string user, string password)
    {
        using var deadline = new CancellationTokenSource(Waits.Long);
        for (var attempt = 0; ; attempt++)
        {
            await client.SendAsync(new HelloFrame { Id = $"w{attempt}", User = user, Password = password });
            var reply = await client.ReplyAsync($"w{attempt}");
            if (!(reply.Is("error") && reply.Str("code") == "rate_limited"))
            {
                return reply;
            }
            Assert.False(deadline.IsCancellationRequested, "the wait never ended");
            await Task.Delay(TimeSpan.FromMilliseconds(reply.Num("retryAfterMs")), deadline.Token);
        }
    }
}
