using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Protocol;

/// <summary>Accounts: a registered name is protected by its password and keeps its rooms.</summary>
public sealed class AccountTests
{
    [Fact]
    public async Task ARegisteredNameNeedsItsPasswordAndRejoinsItsRooms()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.HelloAsync(Transport.Tcp, "Alice");
        await alice.SendAsync(new JoinFrame { Id = "j", Room = "#dev" });
        await alice.ReplyAsync("j");
        await alice.SendAsync(new RegisterFrame { Id = "r", Password = "correct horse" });
        var registered = await alice.ReplyAsync("r");
        Assert.Equal(("registered", "Alice"), (registered.Type(), registered.Str("user")));
        await alice.SendAsync(new JoinFrame { Id = "j2", Room = "#ops" });
        await alice.ReplyAsync("j2");
        await alice.SendAsync(new QuitFrame());
        await alice.ClosedAsync();

        await using var again = await GuaranteeTests.HelloWhenFreeAsync(server, "alice", "correct horse", Transport.WebSocket);
        await again.SendAsync(new WhoRequestFrame { Id = "w", Room = "#ops" });
        Assert.Equal(["Alice"], (await again.ReplyAsync("w")).Strings("users"));
        await again.SendAsync(new WhoRequestFrame { Id = "w2", Room = "#dev" });
        Assert.Equal(["Alice"], (await again.ReplyAsync("w2")).Strings("users"));
    }

    [Fact]
    public async Task WelcomeListsTheRoomsOfTheAccount()
    {
        await using var server = await TestServer.StartAsync();
        var bob = await server.HelloAsync(Transport.Tcp, "bob");
        await bob.SendAsync(new RegisterFrame { Id = "r", Password = "longenough" });
        await bob.ReplyAsync("r");
        await bob.SendAsync(new JoinFrame { Id = "j", Room = "#dev" });
        await bob.ReplyAsync("j");
        await bob.SendAsync(new LeaveFrame { Id = "l", Room = "#lobby" });
        await bob.ReplyAsync("l");
        await bob.SendAsync(new QuitFrame());
        await bob.ClosedAsync();

        var (client, welcome) = await GuaranteeTests.HelloWhenFreeWithWelcomeAsync(server, "BOB", "longenough");
        await using var _ = client;
        Assert.Equal("bob", welcome.Str("user"));
        Assert.Equal(["#lobby", "#dev"], welcome.Strings("rooms"));
    }

    [Fact]
    public async Task APasswordGivenForANameWithNoAccountIsIgnored()
    {
        await using var server = await TestServer.StartAsync();
        await using var carol = await server.HelloAsync(Transport.Tcp, "carol", password: "whatever");
        await carol.SendAsync(new PingFrame { Id = "p" });
        Assert.Equal("pong", (await carol.ReplyAsync("p")).Type());
    }
}
