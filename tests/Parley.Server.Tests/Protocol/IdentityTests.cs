using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Protocol;

/// <summary>
/// Protocol 1.1 "Identity": a conversation belongs to a person, not to a name. Over both transports,
/// on one server and on the cluster.
/// </summary>
public abstract class IdentityTests(Transport transport, ServerFactory? servers = null)
{
    /// <summary>Starts the server under test: one in-process server unless a subclass gives another factory.</summary>
    protected Task<IServerUnderTest> StartServerAsync(IDictionary<string, string>? settings = null) =>
        (servers ?? ServerFactories.InProcess)(settings);

    private static readonly Dictionary<string, string> ShortGrace = new() { ["Parley:GuestGrace"] = "00:00:01" };

    [Fact]
    public async Task AGuestsSuccessorUnderTheSameNameSeesNoneOfItsDirectMessages()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        await using var carol = await server.HelloAsync(transport, "carol");
        var bob = await server.HelloAsync(transport, "bob");
        await SendAsync(bob, "b1", "alice", "a secret for alice");
        await SendAsync(bob, "b2", "carol", "a secret for carol");
        await SendAsync(alice, "a1", "bob", "and one back");
        await bob.SendAsync(new QuitFrame());
        await bob.ClosedAsync();
        await bob.DisposeAsync();

        // a DM to the bob who left is no_such_user: nobody is bob now
        await alice.SendAsync(new SendFrame { Id = "a2", To = "bob", Text = "still there?" });
        (await alice.ReplyAsync("a2")).AssertError("no_such_user", "a2");

        await using var successor = await server.ConnectAsync(transport);
        await successor.SendAsync(new HelloFrame { User = "bob", Resume = new() { ["alice"] = 0, ["carol"] = 0, ["#lobby"] = 0 } });
        var welcome = await successor.NextAsync();
        Assert.True(welcome.Is("welcome"), welcome.GetRawText());
        Assert.Equal(["#lobby"], welcome.GetProperty("seqs").EnumerateObject().Select(p => p.Name));
        await successor.SendAsync(new PingFrame { Id = "p" });
        var (pong, replayed) = await successor.WaitForAsync(f => f.Is("pong"));
        Assert.DoesNotContain(replayed, f => f.Is("message") && f.Str("to") != "#lobby");
        foreach (var other in new[] { "alice", "carol" })
        {
            await successor.SendAsync(new HistoryRequestFrame { Id = "h" + other, To = other });
            Assert.Empty((await successor.ReplyAsync("h" + other)).GetProperty("messages").EnumerateArray());
        }
        // and alice's conversation with the new bob starts afresh
        await SendAsync(alice, "a3", "bob", "who are you?");
        var message = (await successor.WaitForAsync(f => f.Is("message") && f.Str("from") == "alice")).Match;
        Assert.Equal((1L, "who are you?"), (message.Num("seq"), message.Str("text")));
    }

    [Fact]
    public async Task AGuestComingBackWithItsTokenKeepsItsNameAndItsConversations()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        var bob = await server.HelloAsync(transport, "bob");
        await SendAsync(bob, "b1", "alice", "back in a minute");
        bob.Abort();
        await bob.DisposeAsync();
        await alice.WaitForAsync(f => f.Str("event") == "quit" && f.Str("user") == "bob");

        // while bob is away his name is his: nobody else gets it, and messages to him are kept
        await using (var impostor = await server.ConnectAsync(transport))
        {
            await impostor.SendAsync(new HelloFrame { User = "BOB" });
            (await impostor.NextAsync()).AssertError("username_taken");
        }
        await SendAsync(alice, "a1", "bob", "while you were away");

        await using var back = await server.ConnectAsync(transport);
        await back.SendAsync(new HelloFrame { User = "bob", Token = bob.Token, Resume = new() { ["alice"] = 1 } });
        var welcome = await back.NextAsync();
        Assert.True(welcome.Is("welcome"), welcome.GetRawText());
        Assert.Equal(bob.Token, welcome.Str("token"));
        Assert.Equal(2, welcome.GetProperty("seqs").GetProperty("alice").GetInt64());
        var resumed = await back.NextAsync();
        Assert.Equal(("while you were away", true), (resumed.Str("text"), resumed.GetProperty("resumed").GetBoolean()));
        await back.SendAsync(new HistoryRequestFrame { Id = "h", To = "alice" });
        Assert.Equal(["back in a minute", "while you were away"], (await back.ReplyAsync("h")).GetProperty("messages").EnumerateArray().Select(m => m.Str("text")));
    }

    [Fact]
    public async Task AGuestsTokenTakesTheNameOverFromAConnectionThatStillLooksOpen()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        await using var stale = await server.HelloAsync(transport, "bob");
        await SendAsync(alice, "a1", "bob", "hello bob");
        await stale.WaitForAsync(f => f.Str("text") == "hello bob");

        await using var fresh = await server.ConnectAsync(transport);
        await fresh.SendAsync(new HelloFrame { User = "bob", Token = stale.Token });
        Assert.True((await fresh.NextAsync()).Is("welcome"));

        var last = await stale.ClosedAsync();
        Assert.Contains(last, f => f.Is("error") && f.Str("code") == "username_taken");
        await SendAsync(alice, "a2", "bob", "are you the same bob?");
        Assert.Equal(2, (await fresh.WaitForAsync(f => f.Str("text") == "are you the same bob?")).Match.Num("seq"));
        await fresh.SendAsync(new HistoryRequestFrame { Id = "h", To = "alice" });
        Assert.Equal(2, (await fresh.ReplyAsync("h")).GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task QuitFreesAGuestsNameAtOnceForANewIdentity()
    {
        await using var server = await StartServerAsync();
        var bob = await server.HelloAsync(transport, "bob");
        await bob.SendAsync(new QuitFrame());
        await bob.ClosedAsync();
        await bob.DisposeAsync();

        await using var next = await server.HelloAsync(transport, "bob");

        Assert.NotEqual(bob.Token, next.Token);
        await using var old = await server.ConnectAsync(transport);
        await old.SendAsync(new HelloFrame { User = "carol", Token = bob.Token });
        (await old.NextAsync()).AssertError("auth_failed");
    }

    [Fact]
    public async Task AGuestThatIsGoneForLongerThanItsGracePeriodIsNoSuchUserAndItsTokenIsUnknown()
    {
        await using var server = await StartServerAsync(ShortGrace);
        await using var alice = await server.HelloAsync(transport, "alice");
        var bob = await server.HelloAsync(transport, "bob");
        bob.Abort();
        await bob.DisposeAsync();

        // once his grace period is over the name is free: a probe gets it, and frees it again with quit
        var (probe, _) = await GuaranteeTests.HelloWhenFreeWithWelcomeAsync(server, "bob", transport: transport);
        await probe.SendAsync(new QuitFrame());
        await probe.ClosedAsync();
        await probe.DisposeAsync();
        await alice.SendAsync(new SendFrame { Id = "a1", To = "bob", Text = "are you gone?" });
        (await alice.ReplyAsync("a1")).AssertError("no_such_user", "a1");

        await using var late = await server.ConnectAsync(transport);
        await late.SendAsync(new HelloFrame { User = "bob", Token = bob.Token });
        (await late.NextAsync()).AssertError("auth_failed");
        await late.SendAsync(new HelloFrame { User = "bob" });
        var welcome = await late.NextAsync();
        Assert.True(welcome.Is("welcome"));
        Assert.False(welcome.GetProperty("seqs").TryGetProperty("alice", out _));
    }

    [Fact]
    public async Task AWrongTokenIsAuthFailedAndTheConnectionStaysOpen()
    {
        await using var server = await StartServerAsync();
        var bob = await server.HelloAsync(transport, "bob");
        bob.Abort();
        await bob.DisposeAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        await alice.SendAsync(new RegisterFrame { Id = "r", Password = "correct horse" });
        var aliceToken = (await alice.ReplyAsync("r")).Str("token")!;

        await using var client = await server.ConnectAsync(transport);
        foreach (var (user, token) in new[] { ("bob", "not-a-token"), ("bob", aliceToken), ("alice", bob.Token), ("alice", "not-a-token"), ("nobody", bob.Token) })
        {
            await client.SendAsync(new HelloFrame { Id = user + token, User = user, Token = token });
            (await client.ReplyAsync(user + token)).AssertError("auth_failed", user + token);
        }
        await client.SendAsync(new HelloFrame { Id = "h", User = "bob", Token = bob.Token });
        Assert.True((await client.ReplyAsync("h")).Is("welcome"));
    }

    [Fact]
    public async Task AnAccountsTokenSignsInWithoutThePasswordUntilLogoutRevokesIt()
    {
        await using var server = await StartServerAsync();
        var alice = await server.HelloAsync(transport, "alice");
        await alice.SendAsync(new RegisterFrame { Id = "r", Password = "correct horse" });
        var registered = await alice.ReplyAsync("r");
        Assert.Equal("alice", registered.Str("user"));
        var token = registered.Str("token")!;
        Assert.NotEqual(alice.Token, token);
        alice.Abort();
        await alice.DisposeAsync();

        await using var back = await server.ConnectAsync(transport);
        await back.SendAsync(new HelloFrame { Id = "h", User = "Alice", Token = token });
        var welcome = await back.ReplyAsync("h");
        Assert.True(welcome.Is("welcome"), welcome.GetRawText());
        Assert.Equal(token, welcome.Str("token"));

        await back.SendAsync(new LogoutFrame { Id = "out" });
        Assert.Equal("ok", (await back.ReplyAsync("out")).Type());
        await back.SendAsync(new QuitFrame());
        await back.ClosedAsync();

        await using var again = await server.ConnectAsync(transport);
        await again.SendAsync(new HelloFrame { Id = "t", User = "alice", Token = token });
        (await again.ReplyAsync("t")).AssertError("auth_failed", "t");
        // the guest token of before the registration signs in no more either
        await again.SendAsync(new HelloFrame { Id = "g", User = "alice", Token = alice.Token });
        (await again.ReplyAsync("g")).AssertError("auth_failed", "g");
        await again.SendAsync(new HelloFrame { Id = "p", User = "alice", Password = "correct horse" });
        var byPassword = await again.ReplyAsync("p");
        Assert.True(byPassword.Is("welcome"));
        Assert.NotEqual(token, byPassword.Str("token"));
    }

    [Fact]
    public async Task AGuestThatLogsOutHasNoWayBackAndItsNameIsFreeWhenItLeaves()
    {
        await using var server = await StartServerAsync();
        var bob = await server.HelloAsync(transport, "bob");
        await bob.SendAsync(new LogoutFrame { Id = "out" });
        Assert.Equal("ok", (await bob.ReplyAsync("out")).Type());
        bob.Abort();
        await bob.DisposeAsync();

        var (next, _) = await GuaranteeTests.HelloWhenFreeWithWelcomeAsync(server, "bob", transport: transport);
        await using var _next = next;
        await using var old = await server.ConnectAsync(transport);
        await old.SendAsync(new HelloFrame { User = "bob", Token = bob.Token });
        (await old.NextAsync()).AssertError("auth_failed");
    }

    [Fact]
    public async Task ADirectMessageSentWhileTheRecipientWasAwayIsListedInHerWelcome()
    {
        await using var server = await StartServerAsync();
        var alice = await server.HelloAsync(transport, "alice");
        await alice.SendAsync(new RegisterFrame { Id = "r", Password = "correct horse" });
        await alice.ReplyAsync("r");
        await alice.SendAsync(new QuitFrame());
        await alice.ClosedAsync();
        await alice.DisposeAsync();

        await using var bob = await server.HelloAsync(transport, "bob");
        await SendAsync(bob, "b1", "Alice", "ping me when you are back");
        await SendAsync(bob, "b2", "alice", "it is about lunch");

        var (back, welcome) = await GuaranteeTests.HelloWhenFreeWithWelcomeAsync(server, "alice", "correct horse", transport);
        await using var _back = back;
        Assert.Equal(2, welcome.GetProperty("seqs").GetProperty("bob").GetInt64());
    }

    [Fact]
    public async Task RegisteringKeepsTheGuestsConversations()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        var bob = await server.HelloAsync(transport, "bob");
        await SendAsync(bob, "b1", "alice", "before registering");
        await bob.SendAsync(new RegisterFrame { Id = "r", Password = "correct horse" });
        Assert.True((await bob.ReplyAsync("r")).Is("registered"));
        await bob.SendAsync(new QuitFrame());
        await bob.ClosedAsync();
        await bob.DisposeAsync();

        var (back, welcome) = await GuaranteeTests.HelloWhenFreeWithWelcomeAsync(server, "bob", "correct horse", transport);
        await using var _back = back;
        Assert.Equal(1, welcome.GetProperty("seqs").GetProperty("alice").GetInt64());
        await SendAsync(back, "b2", "alice", "after registering");
        Assert.Equal(2, (await alice.WaitForAsync(f => f.Str("text") == "after registering")).Match.Num("seq"));
    }

    private static async Task SendAsync(RawClient client, string id, string to, string text)
    {
        await client.SendAsync(new SendFrame { Id = id, To = to, Text = text });
        var reply = await client.ReplyAsync(id);
        Assert.True(reply.Is("ack"), reply.GetRawText());
    }
}

public sealed class TcpIdentityTests() : IdentityTests(Transport.Tcp);

public sealed class WebSocketIdentityTests() : IdentityTests(Transport.WebSocket);
