using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Tui.Tests.EndToEnd;

/// <summary>The real windowed client in a pseudo-terminal (tmux) against a real server.</summary>
public class WindowedClientTests
{
    [Fact]
    public async Task TypingANameAndAMessageShowsItDeliveredAndOthersReceiveIt()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.HelloAsync(Transport.Tcp, "bob");
        await using var tmux = await TmuxSession.StartAsync("--server", server.Tcp.ToString());

        await tmux.WaitForTextAsync("Name:");
        await tmux.TypeAsync("alice");
        await tmux.PressAsync("Enter");
        await tmux.WaitForTextAsync($"connected to {server.Tcp} as alice");
        await tmux.WaitForTextAsync("│bob ");

        await tmux.TypeAsync("hello from the window");
        await tmux.PressAsync("Enter");
        var (message, _) = await bob.WaitForAsync(f => f.Is("message"));
        Assert.Equal("alice", message.Str("from"));
        Assert.Equal("hello from the window", message.Str("text"));
        var delivered = DateTimeOffset.Parse(message.Str("ts")!, System.Globalization.CultureInfo.InvariantCulture).ToLocalTime();
        await tmux.WaitForTextAsync($"{delivered:HH:mm:ss} ✓ <alice> hello from the window");

        await bob.AssertAckedAsync("b1", "#lobby", "hi alice");
        await tmux.WaitForTextAsync("<bob> hi alice");

        await tmux.TypeAsync("/quit");
        await tmux.PressAsync("Enter");
        await tmux.WaitForTextAsync($"{TmuxSession.ExitMarker} 0");
        var (quit, _) = await bob.WaitForAsync(f => f.Is("presence") && f.Str("event") == "quit");
        Assert.Equal("alice", quit.Str("user"));
    }

    [Fact]
    public async Task TakenNameIsShownInTheDialogAndAnotherNameCanBeTried()
    {
        await using var server = await TestServer.StartAsync();
        await using var holder = await server.HelloAsync(Transport.Tcp, "alice");
        await using var tmux = await TmuxSession.StartAsync("--server", server.Tcp.ToString());

        await tmux.WaitForTextAsync("Name:");
        await tmux.TypeAsync("alice");
        await tmux.PressAsync("Enter");
        await tmux.WaitForTextAsync("That name is taken (username_taken)");

        await tmux.PressAsync("End", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace");
        await tmux.TypeAsync("alicia");
        await tmux.PressAsync("Enter");
        await tmux.WaitForTextAsync($"connected to {server.Tcp} as alicia");
    }

    [Fact]
    public async Task UnreachableServerIsSaidInTheDialogWithTheAddressTried()
    {
        var port = ServerProcess.FreePort();
        await using var tmux = await TmuxSession.StartAsync("--server", $"127.0.0.1:{port}", "--user", "alice");
        await tmux.WaitForTextAsync("Name:");
        await tmux.PressAsync("Enter");
        await tmux.WaitForTextAsync($"Cannot reach the Parley server at 127.0.0.1:{port}");
    }

    [Fact]
    public async Task DirectMessageOpensItsConversationWithAnUnreadCount()
    {
        await using var server = await TestServer.StartAsync();
        await using var tmux = await TmuxSession.StartAsync("--server", server.Tcp.ToString(), "--user", "alice");
        await tmux.WaitForTextAsync("Name:");
        await tmux.PressAsync("Enter");
        await tmux.WaitForTextAsync("as alice");

        await using var bob = await server.HelloAsync(Transport.Tcp, "bob");
        await bob.AssertAckedAsync("d1", "alice", "psst");
        await tmux.WaitForTextAsync("│bob (1)");
    }

    [Fact]
    public async Task DirectMessagesThatCameWhileAwayAreListedWithTheirUnreadCountAtSignIn()
    {
        await using var server = await TestServer.StartAsync();
        await using (var registering = await server.HelloAsync(Transport.Tcp, "alice"))
        {
            await registering.SendAsync(new RegisterFrame { Id = "r", Password = "correct horse" });
            await registering.ReplyAsync("r");
            await registering.SendAsync(new QuitFrame());
            await registering.ClosedAsync();
        }
        await using var bob = await server.HelloAsync(Transport.Tcp, "bob");
        foreach (var (id, text) in new[] { ("d1", "are you there?"), ("d2", "call me back") })
        {
            await bob.SendAsync(new SendFrame { Id = id, To = "alice", Text = text });
            Assert.True((await bob.ReplyAsync(id)).Is("ack"));
        }

        await using var tmux = await TmuxSession.StartAsync("--server", server.Tcp.ToString(), "--user", "alice");
        await tmux.WaitForTextAsync("Name:");
        await tmux.PressAsync("Tab");
        await tmux.TypeAsync("correct horse");
        await tmux.PressAsync("Enter");
        await tmux.WaitForTextAsync("as alice");
        await tmux.WaitForTextAsync("│bob (2)");
        await tmux.PressAsync("C-n");
        await tmux.WaitForTextAsync("<bob> call me back");
    }

    [Fact]
    public async Task LostServerShowsReconnectingAndAMessageTypedMeanwhileIsDeliveredOnce()
    {
        var directory = Path.Combine(Path.GetTempPath(), "parley-tui-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var database = Path.Combine(directory, "parley.db");
        var server = await ServerProcess.StartAsync(database);
        try
        {
            await using var tmux = await TmuxSession.StartAsync("--server", server.Tcp.ToString(), "--user", "alice");
            await tmux.WaitForTextAsync("Name:");
            await tmux.PressAsync("Enter");
            await tmux.WaitForTextAsync("as alice");

            var port = server.Tcp.Port;
            await server.KillAsync();
            await tmux.WaitForTextAsync("reconnecting to");
            await tmux.TypeAsync("typed while offline");
            await tmux.PressAsync("Enter");
            await tmux.WaitForTextAsync("… <alice> typed while offline");

            await server.DisposeAsync();
            server = await ServerProcess.StartAsync(database, port);
            await tmux.WaitForTextAsync("✓ <alice> typed while offline");
            await tmux.WaitForTextAsync($"connected to 127.0.0.1:{port} as alice");

            await using var reader = await RawClient.ConnectTcpAsync(server.Tcp);
            await reader.SendAsync(new HelloFrame { User = "carol" });
            await reader.NextAsync();
            await reader.SendAsync(new HistoryRequestFrame { Id = "h", To = "#lobby" });
            var history = await reader.ReplyAsync("h");
            var texts = history.GetProperty("messages").EnumerateArray().Select(m => m.Str("text")).ToList();
            Assert.Equal(["typed while offline"], texts);
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }
}
