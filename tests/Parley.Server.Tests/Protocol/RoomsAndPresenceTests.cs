using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Protocol;

/// <summary>Rooms, who, rooms and presence, over both transports.</summary>
public abstract class RoomsAndPresenceTests(Transport transport, ServerFactory? servers = null)
{
    /// <summary>Starts the server under test: one in-process server unless a subclass gives another factory.</summary>
    protected Task<IServerUnderTest> StartServerAsync(IDictionary<string, string>? settings = null) =>
        (servers ?? ServerFactories.InProcess)(settings);

    [Fact]
    public async Task JoiningTellsTheMembersAndRepliesWithWhoIsThere()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        await alice.SendAsync(new JoinFrame { Id = "j", Room = "#Dev" });
        var joined = await alice.ReplyAsync("j");
        Assert.Equal("joined", joined.Type());
        Assert.Equal("#dev", joined.Str("room"));
        Assert.Equal(["alice"], joined.Strings("users"));

        await using var bob = await server.HelloAsync(transport, "bob");
        await bob.SendAsync(new JoinFrame { Id = "j", Room = "#dev" });
        Assert.Equal(["alice", "bob"], (await bob.ReplyAsync("j")).Strings("users"));
        var presence = (await alice.WaitForAsync(f => f.Is("presence") && f.Str("room") == "#dev")).Match;
        Assert.Equal("bob", presence.Str("user"));
        Assert.Equal("join", presence.Str("event"));
    }

    [Fact]
    public async Task PresenceIsNeverSentToTheUserItIsAbout()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        await alice.SendAsync(new JoinFrame { Id = "j", Room = "#dev" });
        await alice.SendAsync(new LeaveFrame { Id = "l", Room = "#dev" });
        await alice.SendAsync(new PingFrame { Id = "p" });
        Assert.Equal("joined", (await alice.NextAsync()).Type());
        Assert.Equal("left", (await alice.NextAsync()).Type());
        Assert.Equal("pong", (await alice.NextAsync()).Type());
    }

    [Fact]
    public async Task LeavingAndQuittingAreToldToTheRemainingMembers()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        var bob = await server.HelloAsync(transport, "bob");
        await bob.SendAsync(new JoinFrame { Id = "j", Room = "#dev" });
        await bob.ReplyAsync("j");
        await alice.SendAsync(new JoinFrame { Id = "j", Room = "#dev" });
        await alice.ReplyAsync("j");

        await bob.SendAsync(new LeaveFrame { Id = "l", Room = "#dev" });
        Assert.Equal("#dev", (await bob.ReplyAsync("l")).Str("room"));
        var left = (await alice.WaitForAsync(f => f.Str("event") == "leave")).Match;
        Assert.Equal(("#dev", "bob"), (left.Str("room"), left.Str("user")));

        // any disconnect, quit or not, is a quit in each of the user's rooms
        bob.Abort();
        await bob.DisposeAsync();
        var quit = (await alice.WaitForAsync(f => f.Str("event") == "quit")).Match;
        Assert.Equal(("#lobby", "bob"), (quit.Str("room"), quit.Str("user")));
    }

    [Fact]
    public async Task QuitFlushesWhatIsOwedThenCloses()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        await alice.SendAsync(new SendFrame { Id = "s", To = "#lobby", Text = "bye" });
        await alice.SendAsync(new QuitFrame { Reason = "done" });
        var frames = await alice.ClosedAsync();
        Assert.Equal(["ack"], frames.Select(f => f.Type()));
    }

    [Fact]
    public async Task WhoListsTheMembersOnline()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        await using var bob = await server.HelloAsync(transport, "Bob");
        await alice.SendAsync(new WhoRequestFrame { Id = "w", Room = "#LOBBY" });
        var who = await alice.ReplyAsync("w");
        Assert.Equal("#lobby", who.Str("room"));
        Assert.Equal(["alice", "Bob"], who.Strings("users"));
        await alice.SendAsync(new WhoRequestFrame { Id = "e", Room = "#empty" });
        Assert.Empty((await alice.ReplyAsync("e")).Strings("users"));
    }

    [Fact]
    public async Task RoomsListsRoomsWithMembersOnlineAndTheLobby()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        await alice.SendAsync(new JoinFrame { Id = "j1", Room = "#dev" });
        await alice.SendAsync(new JoinFrame { Id = "j2", Room = "#gone" });
        await alice.SendAsync(new LeaveFrame { Id = "l", Room = "#gone" });
        await alice.SendAsync(new LeaveFrame { Id = "l2", Room = "#lobby" });
        await alice.SendAsync(new RoomsRequestFrame { Id = "r" });
        var rooms = await alice.ReplyAsync("r");
        var listed = rooms.GetProperty("rooms").EnumerateArray().Select(r => $"{r.Str("room")}={r.Num("members")}");
        Assert.Equal(["#dev=1", "#lobby=0"], listed);
    }

    [Fact]
    public async Task AMessageReachesOnlyTheMembersOfItsRoom()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        await using var bob = await server.HelloAsync(transport, "bob");
        await using var carol = await server.HelloAsync(transport, "carol");
        foreach (var client in new[] { alice, bob })
        {
            await client.SendAsync(new JoinFrame { Id = "j", Room = "#dev" });
            await client.ReplyAsync("j");
        }
        await alice.SendAsync(new SendFrame { Id = "1", To = "#dev", Text = "dev only" });
        await alice.ReplyAsync("1");
        await alice.SendAsync(new SendFrame { Id = "2", To = "#lobby", Text = "everyone" });
        await alice.ReplyAsync("2");
        Assert.Equal("dev only", (await bob.WaitForAsync(f => f.Is("message"))).Match.Str("text"));
        var first = (await carol.WaitForAsync(f => f.Is("message"))).Match;
        Assert.Equal("everyone", first.Str("text"));
    }
}

public sealed class TcpRoomsAndPresenceTests() : RoomsAndPresenceTests(Transport.Tcp);

public sealed class WebSocketRoomsAndPresenceTests() : RoomsAndPresenceTests(Transport.WebSocket);
