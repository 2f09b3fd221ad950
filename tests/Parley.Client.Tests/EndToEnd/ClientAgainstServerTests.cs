using System.Threading.Channels;
using Parley.Client;
using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Client.Tests.EndToEnd;

/// <summary>The client library against a real server, over both transports.</summary>
public abstract class ClientAgainstServerTests(Transport transport)
{
    private Uri ServerUri(TestServer server) =>
        transport == Transport.Tcp ? new Uri($"tcp://{server.Tcp}") : server.WebSocketUri;

    [Fact]
    public async Task SendCompletesWithTheAckAndTheOtherClientReceivesTheMessage()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = new ParleyClient(new ParleyClientOptions { Server = ServerUri(server), User = "alice" });
        await using var bob = new ParleyClient(new ParleyClientOptions { Server = ServerUri(server), User = "bob" });
        var welcome = await alice.ConnectAsync().WaitAsync(Waits.Frame);
        Assert.Equal(["#lobby"], welcome.Rooms);
        await bob.ConnectAsync().WaitAsync(Waits.Frame);
        var received = bob.ReadFramesAsync().OfType<MessageFrame>().FirstAsync().AsTask();

        var ack = await alice.SendAsync("#lobby", "hello from the library").WaitAsync(Waits.Frame);
        Assert.Equal(1, ack.Seq);
        var message = await received.WaitAsync(Waits.Frame);
        Assert.Equal(("alice", "hello from the library", ack.Seq, ack.Ts), (message.From, message.Text, message.Seq, message.Ts));
    }

    [Fact]
    public async Task ARefusedHelloThrowsWithTheServersCode()
    {
        await using var server = await TestServer.StartAsync();
        await using var first = new ParleyClient(new ParleyClientOptions { Server = ServerUri(server), User = "alice" });
        await first.ConnectAsync().WaitAsync(Waits.Frame);
        await using var second = new ParleyClient(new ParleyClientOptions { Server = ServerUri(server), User = "ALICE" });
        var refusal = await Assert.ThrowsAsync<ParleyException>(() => second.ConnectAsync().WaitAsync(Waits.Frame));
        Assert.Equal("username_taken", refusal.Code);
        Assert.Contains("ALICE", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARefusedSendThrowsWithTheServersCode()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = new ParleyClient(new ParleyClientOptions { Server = ServerUri(server), User = "alice" });
        await alice.ConnectAsync().WaitAsync(Waits.Frame);
        var refusal = await Assert.ThrowsAsync<ParleyException>(() => alice.SendAsync("#elsewhere", "hi").WaitAsync(Waits.Frame));
        Assert.Equal("not_in_room", refusal.Code);
        var joined = await alice.JoinAsync("#Elsewhere").WaitAsync(Waits.Frame);
        Assert.Equal("#elsewhere", joined.Room);
        Assert.Equal(1, (await alice.SendAsync("#elsewhere", "hi").WaitAsync(Waits.Frame)).Seq);
    }

    [Fact]
    public async Task AnUnreachableServerIsSaidPlainlyWithTheAddressTried()
    {
        var port = ServerProcess.FreePort();
        var uri = transport == Transport.Tcp ? new Uri($"tcp://127.0.0.1:{port}") : new Uri($"ws://127.0.0.1:{port}/ws");
        await using var client = new ParleyClient(new ParleyClientOptions { Server = uri, User = "alice" });
        var failure = await Assert.ThrowsAsync<ParleyException>(() => client.ConnectAsync().WaitAsync(Waits.Frame));
        Assert.Equal("unreachable", failure.Code);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerKilledAndRestartedMidConversationLosesNothingAndDoublesNothing()
    {
        var directory = Path.Combine(Path.GetTempPath(), "parley-client-restart-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var database = Path.Combine(directory, "parley.db");
        var server = await ServerProcess.StartAsync(database);
        try
        {
            var uri = transport == Transport.Tcp ? new Uri($"tcp://{server.Tcp}") : new Uri($"ws://{server.Http}/ws");
            var options = new ParleyClientOptions
            {
                Server = uri,
                User = "alice",
                ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
                ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
            };
            // accounts: their identities outlive a restart of the server (a guest's do not), and so does idempotency
            await using var alice = new ParleyClient(options);
            await using var bob = new ParleyClient(options with { User = "bob" });
            await alice.ConnectAsync().WaitAsync(Waits.Frame);
            await bob.ConnectAsync().WaitAsync(Waits.Frame);
            await alice.RegisterAsync("alice's password").WaitAsync(Waits.Frame);
            await bob.RegisterAsync("bob's password").WaitAsync(Waits.Frame);
            var seen = Channel.CreateUnbounded<MessageFrame>();
            bob.FrameReceived += (_, e) =>
            {
                if (e.Frame is MessageFrame message)
                {
                    seen.Writer.TryWrite(message);
                }
            };

            const int total = 30;
            var sends = new List<Task<AckFrame>>();
            for (var i = 1; i <= total / 2; i++)
            {
                sends.Add(alice.SendAsync("#lobby", $"m{i}"));
            }
            // killed while the first half may still be in flight: some acked, some maybe not
            await sends[2].WaitAsync(Waits.Long);
            await server.KillAsync();
            await server.DisposeAsync();
            for (var i = total / 2 + 1; i <= total; i++)
            {
                sends.Add(alice.SendAsync("#lobby", $"m{i}"));
            }
            server = await ServerProcess.StartAsync(database, server.Tcp.Port, server.Http.Port);

            var acks = await Task.WhenAll(sends).WaitAsync(Waits.Long);
            Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), acks.Select(a => a.Seq).Order());

            // bob, reconnected and resumed, has every message once, in order
            var received = new List<MessageFrame>();
            while (received.Count < total)
            {
                received.Add(await seen.Reader.ReadAsync().AsTask().WaitAsync(Waits.Long));
            }
            Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), received.Select(m => m.Seq));
            Assert.Equal(total, received.Select(m => m.Text).Distinct().Count());

            // a double would have come before this reply, on the same connection
            var history = await bob.HistoryAsync("#lobby", limit: 100).WaitAsync(Waits.Frame);
            Assert.False(seen.Reader.TryRead(out var extra), $"delivered twice: {extra?.Seq}");
            Assert.Equal(total, history.Messages.Count);
            Assert.Equal(total, history.Messages.Select(m => m.Text).Distinct().Count());
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task AGuestWhoseLinkDropsComesBackWithItsTokenAsTheSamePerson()
    {
        await using var server = await TestServer.StartAsync();
        // bob's link to the server runs through a relay that the test cuts
        await using var link = StallingLink.Start(transport == Transport.Tcp ? server.Tcp : server.Http);
        var viaLink = transport == Transport.Tcp ? new Uri($"tcp://{link.Endpoint}") : new Uri($"ws://{link.Endpoint}/ws");
        await using var alice = new ParleyClient(new ParleyClientOptions { Server = ServerUri(server), User = "alice" });
        await alice.ConnectAsync().WaitAsync(Waits.Frame);
        var bobOptions = new ParleyClientOptions { Server = viaLink, User = "bob", ReconnectMinDelay = TimeSpan.FromMilliseconds(50) };
        await using var bob = new ParleyClient(bobOptions);
        var welcomes = Channel.CreateUnbounded<ParleyWelcomeEventArgs>();
        bob.Welcomed += (_, e) => welcomes.Writer.TryWrite(e);
        await bob.ConnectAsync().WaitAsync(Waits.Frame);
        await welcomes.Reader.ReadAsync().AsTask().WaitAsync(Waits.Frame);
        var token = bob.Token;
        await bob.SendAsync("alice", "be right back").WaitAsync(Waits.Frame);

        await link.CutAsync();
        await alice.SendAsync("bob", "while the link was down").WaitAsync(Waits.Frame);
        var back = await welcomes.Reader.ReadAsync().AsTask().WaitAsync(Waits.Long);

        Assert.False(back.IsNewIdentity);
        Assert.Equal(token, bob.Token);
        Assert.Equal(2, back.Welcome.Seqs!["alice"]);
        var history = await bob.HistoryAsync("alice").WaitAsync(Waits.Frame);
        Assert.Equal(["be right back", "while the link was down"], history.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task AGuestTheServerNoLongerKnowsSignsInAsANewGuestAndIsTold()
    {
        var directory = Path.Combine(Path.GetTempPath(), "parley-client-new-guest-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var database = Path.Combine(directory, "parley.db");
        var server = await ServerProcess.StartAsync(database);
        try
        {
            var uri = transport == Transport.Tcp ? new Uri($"tcp://{server.Tcp}") : new Uri($"ws://{server.Http}/ws");
            var options = new ParleyClientOptions { Server = uri, User = "alice", ReconnectMinDelay = TimeSpan.FromMilliseconds(50) };
            await using var bob = new ParleyClient(options with { User = "bob" });
            var welcomes = Channel.CreateUnbounded<ParleyWelcomeEventArgs>();
            bob.Welcomed += (_, e) => welcomes.Writer.TryWrite(e);
            await bob.ConnectAsync().WaitAsync(Waits.Frame);
            var first = await welcomes.Reader.ReadAsync().AsTask().WaitAsync(Waits.Frame);
            await using (var alice = new ParleyClient(options))
            {
                await alice.ConnectAsync().WaitAsync(Waits.Frame);
                await alice.SendAsync("bob", "for the first bob").WaitAsync(Waits.Frame);
                await alice.QuitAsync().WaitAsync(Waits.Frame);
            }

            await server.TerminateAsync();
            await server.DisposeAsync();
            server = await ServerProcess.StartAsync(database, server.Tcp.Port, server.Http.Port);
            var again = await welcomes.Reader.ReadAsync().AsTask().WaitAsync(Waits.Long);

            Assert.True(again.IsNewIdentity);
            Assert.Equal("bob", again.Welcome.User);
            Assert.NotEqual(first.Welcome.Token, bob.Token);
            Assert.False(again.Welcome.Seqs!.ContainsKey("alice"));
            Assert.Empty((await bob.HistoryAsync("alice").WaitAsync(Waits.Frame)).Messages);
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task AClientWhoseNameANewerSignInTookOverStopsInsteadOfTakingItBack()
    {
        await using var server = await TestServer.StartAsync();
        await using var first = new ParleyClient(new ParleyClientOptions { Server = ServerUri(server), User = "bob" });
        var offline = new TaskCompletionSource<ParleyStateChangedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        first.StateChanged += (_, e) =>
        {
            if (e.State == ParleyClientState.Offline)
            {
                offline.TrySetResult(e);
            }
        };
        await first.ConnectAsync().WaitAsync(Waits.Frame);

        await using var second = new ParleyClient(new ParleyClientOptions { Server = ServerUri(server), User = "bob", Token = first.Token });
        await second.ConnectAsync().WaitAsync(Waits.Frame);

        var stopped = await offline.Task.WaitAsync(Waits.Frame);
        Assert.Equal("username_taken", stopped.Error?.Code);
        Assert.Equal(ParleyClientState.Connected, second.State);
        Assert.Equal(1, (await second.SendAsync("#lobby", "still me").WaitAsync(Waits.Frame)).Seq);
    }
}

public sealed class TcpClientAgainstServerTests() : ClientAgainstServerTests(Transport.Tcp);

public sealed class WebSocketClientAgainstServerTests() : ClientAgainstServerTests(Transport.WebSocket);
