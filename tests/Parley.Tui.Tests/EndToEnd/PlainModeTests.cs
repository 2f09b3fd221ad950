using System.Text.RegularExpressions;
using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Tui.Tests.EndToEnd;

/// <summary><c>parley</c> in plain mode as a real process against a real server over loopback.</summary>
public partial class PlainModeTests
{
    [GeneratedRegex(@"^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\] #lobby <alice> hello bob$")]
    private static partial Regex AliceInLobby();

    [Fact]
    public async Task TwoClientsTalkAndTheSenderExitsZeroOnceEveryMessageIsAcknowledged()
    {
        await using var server = await TestServer.StartAsync();
        var address = server.Tcp.ToString();
        await using var bob = await PlainProcess.StartConnectedAsync(address, "bob");

        await using var alice = PlainProcess.Start("--server", address, "--user", "alice");
        await alice.WriteLinesAsync("hello bob", "/join #dev", "in dev now");
        alice.CloseInput();
        Assert.Equal(0, await alice.ExitCodeAsync());

        var received = await bob.OutputLineAsync(line => line.Contains("<alice>", StringComparison.Ordinal));
        Assert.Matches(AliceInLobby(), received);
        // #dev was joined after bob's connection: bob is not in it and must not see it
        await bob.WriteLinesAsync("/join #dev", "/who");
        await bob.ErrorLineAsync(line => line.StartsWith("* in #dev:", StringComparison.Ordinal));
        bob.CloseInput();
        Assert.Equal(0, await bob.ExitCodeAsync());
        Assert.Equal([received], bob.Output);

        // acknowledged means stored: the history has both of alice's messages
        await using var reader = await server.HelloAsync(Transport.Tcp, "carol");
        await reader.SendAsync(new HistoryRequestFrame { Id = "h", To = "#dev" });
        var history = await reader.ReplyAsync("h");
        Assert.Contains("in dev now", history.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DirectMessagesPrintWithTheSendersName()
    {
        await using var server = await TestServer.StartAsync();
        var address = server.Tcp.ToString();
        await using var bob = await PlainProcess.StartConnectedAsync(address, "bob");

        await using var alice = PlainProcess.Start("--server", address, "--user", "alice");
        await alice.WriteLinesAsync("/msg bob just for you");
        alice.CloseInput();
        Assert.Equal(0, await alice.ExitCodeAsync());

        var received = await bob.OutputLineAsync(line => line.Contains("just for you", StringComparison.Ordinal));
        Assert.EndsWith("] @alice <alice> just for you", received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedMessageGivesNonZeroExitAndTheServersReasonOnStandardError()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = PlainProcess.Start("--server", server.Tcp.ToString(), "--user", "alice");
        await alice.WriteLinesAsync("fine", "/msg ghost are you there?");
        alice.CloseInput();

        Assert.Equal(1, await alice.ExitCodeAsync());
        Assert.Contains("no_such_user", alice.Errors, StringComparison.Ordinal);
        Assert.Contains("are you there?", alice.Errors, StringComparison.Ordinal);
        Assert.Empty(alice.Output);
    }

    [Fact]
    public async Task LongPipedInputArrivesCompleteAndInOrderDespiteFlowControl()
    {
        await using var server = await TestServer.StartAsync();
        var address = server.Tcp.ToString();
        await using var bob = await PlainProcess.StartConnectedAsync(address, "bob");

        var lines = Enumerable.Range(1, 60).Select(i => $"line {i}").ToArray();
        await using var alice = PlainProcess.Start("--server", address, "--user", "alice");
        await alice.WriteLinesAsync(lines);
        alice.CloseInput();
        Assert.Equal(0, await alice.ExitCodeAsync());

        await bob.OutputLineAsync(line => line.EndsWith("<alice> line 60", StringComparison.Ordinal));
        Assert.Equal(lines, bob.Output.Select(line => line[(line.IndexOf("> ", StringComparison.Ordinal) + 2)..]));
    }

    [Fact]
    public async Task RegisteredNameConnectsWithThePasswordFromStandardInputAndNotWithout()
    {
        await using var server = await TestServer.StartAsync();
        await using (var owner = await server.HelloAsync(Transport.Tcp, "dora"))
        {
            await owner.AssertAnsweredAsync(new RegisterFrame { Id = "r", Password = "correct horse" }, "registered");
            await owner.SendAsync(new QuitFrame());
            await owner.ClosedAsync();
        }

        await using var wrong = PlainProcess.Start("--server", server.Tcp.ToString(), "--user", "dora", "--password-stdin");
        await wrong.WriteLinesAsync("battery staple");
        wrong.CloseInput();
        Assert.Equal(2, await wrong.ExitCodeAsync());
        Assert.Contains("auth_failed", wrong.Errors, StringComparison.Ordinal);

        await using var right = PlainProcess.Start("--server", server.Tcp.ToString(), "--user", "dora", "--password-stdin");
        await right.WriteLinesAsync("correct horse", "signed in");
        right.CloseInput();
        Assert.Equal(0, await right.ExitCodeAsync());
    }

    [Fact]
    public async Task MessageNeverAcknowledgedGivesNonZeroExitOnceTheAckTimeoutPasses()
    {
        var directory = Path.Combine(Path.GetTempPath(), "parley-tui-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            await using var server = await ServerProcess.StartAsync(Path.Combine(directory, "parley.db"));
            await using var alice = PlainProcess.Start("--server", server.Tcp.ToString(), "--user", "alice", "--ack-timeout", "2");
            await alice.ErrorLineAsync(line => line.StartsWith("* connected", StringComparison.Ordinal));
            await server.KillAsync();

            await alice.WriteLinesAsync("into the void");
            alice.CloseInput();
            Assert.Equal(1, await alice.ExitCodeAsync());
            Assert.Contains("never acknowledged", alice.Errors, StringComparison.Ordinal);
            Assert.Contains("\"into the void\"", alice.Errors, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task TakenNameIsRefusedWithTheServersReason()
    {
        await using var server = await TestServer.StartAsync();
        await using var holder = await server.HelloAsync(Transport.Tcp, "alice");
        await using var alice = PlainProcess.Start("--server", server.Tcp.ToString(), "--user", "alice");
        alice.CloseInput();
        Assert.Equal(2, await alice.ExitCodeAsync());
        Assert.Contains("username_taken", alice.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableServerIsSaidPlainlyWithTheAddressTried()
    {
        var port = ServerProcess.FreePort();
        await using var alice = PlainProcess.Start("--server", $"127.0.0.1:{port}", "--user", "alice");
        alice.CloseInput();
        Assert.Equal(2, await alice.ExitCodeAsync());
        Assert.Contains($"Cannot reach the Parley server at 127.0.0.1:{port}", alice.Errors, StringComparison.Ordinal);
    }
}
