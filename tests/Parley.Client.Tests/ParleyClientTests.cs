using System.Text.Json.Nodes;
using System.Threading.Channels;
using Parley.Protocol;
using Parley.Protocol.Frames;

namespace Parley.Client.Tests;

/// <summary>The client against a scripted <see cref="FakeServer"/>: the wire as the client writes and reads it.</summary>
public sealed class ParleyClientTests : IAsyncLifetime
{
    private readonly FakeServer _server = FakeServer.StartTcp();
    private readonly Channel<ParleyStateChangedEventArgs> _states = Channel.CreateUnbounded<ParleyStateChangedEventArgs>();
    private ParleyClient _client = null!;

    public Task InitializeAsync()
    {
        _client = NewClient(_server);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    private ParleyClient NewClient(FakeServer server, bool autoReconnect = true, int receiveBuffer = 100)
    {
        var client = new ParleyClient(new ParleyClientOptions
        {
            Server = server.Address,
            User = "alice",
            AutoReconnect = autoReconnect,
            ReceiveBufferCapacity = receiveBuffer,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(10),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(50),
            RequestTimeout = FakeServer.Patience,
        });
        client.StateChanged += (_, e) => _states.Writer.TryWrite(e);
        return client;
    }

    private async Task<ParleyStateChangedEventArgs> StateAsync(ParleyClientState state)
    {
        while (true)
        {
            var change = await _states.Reader.ReadAsync().AsTask().WaitAsync(FakeServer.Patience);
            if (change.State == state)
            {
                return change;
            }
        }
    }

    /// <summary>Connects <see cref="_client"/>: the server accepts, reads the hello and welcomes.</summary>
    private async Task<FakeConnection> ConnectAsync(string seqs = "{\"#lobby\":0}")
    {
        var connecting = _client.ConnectAsync();
        var connection = await _server.AcceptAsync();
        await connection.WelcomeAsync(await connection.ExpectAsync("hello"), seqs: seqs);
        await connecting.WaitAsync(FakeServer.Patience);
        return connection;
    }

    private static async Task<List<ServerFrame>> TakeAsync(IAsyncEnumerator<ServerFrame> frames, int count)
    {
        var taken = new List<ServerFrame>();
        while (taken.Count < count && await frames.MoveNextAsync().AsTask().WaitAsync(FakeServer.Patience))
        {
            taken.Add(frames.Current);
        }
        return taken;
    }

    [Fact]
    public async Task ConnectSaysHelloAndReturnsTheWelcome()
    {
        var connecting = _client.ConnectAsync();
        await using var connection = await _server.AcceptAsync();
        var hello = await connection.ExpectAsync("hello");
        await connection.WelcomeAsync(hello, rooms: "[\"#lobby\",\"#dev\"]", seqs: "{\"#lobby\":3,\"#dev\":0}");

        var welcome = await connecting.WaitAsync(FakeServer.Patience);

        Assert.Equal("alice", (string?)hello["user"]);
        Assert.Equal(ParleyClientOptions.DefaultClientName, (string?)hello["client"]);
        Assert.Null(hello["resume"]);
        Assert.Null(hello["password"]);
        Assert.Equal(["#lobby", "#dev"], welcome.Rooms);
        Assert.Equal(ParleyClientState.Connected, _client.State);
        Assert.Equal(["#dev", "#lobby"], _client.JoinedRooms.Order());
    }

    [Fact]
    public async Task ARefusedHelloThrowsTheServersCodeAndTheClientClosesTheConnection()
    {
        var connecting = _client.ConnectAsync();
        await using var connection = await _server.AcceptAsync();
        var hello = await connection.ExpectAsync("hello");
        await connection.WriteAsync($$"""{"type":"error","id":"{{hello["id"]}}","code":"username_taken","message":"The name alice is taken."}""");

        var refusal = await Assert.ThrowsAsync<ParleyException>(() => connecting.WaitAsync(FakeServer.Patience));

        Assert.Equal(ErrorCodes.UsernameTaken, refusal.Code);
        Assert.Equal("The name alice is taken.", refusal.Message);
        Assert.Null(await connection.ReadAsync());
        Assert.Equal(ParleyClientState.Offline, _client.State);
    }

    [Fact]
    public async Task AnUnreachableServerIsReportedAtOnceWithTheAddressTried()
    {
        var address = new Uri($"tcp://127.0.0.1:{FakeServer.FreePort()}");
        await using var client = new ParleyClient(new ParleyClientOptions { Server = address, User = "alice" });

        var failure = await Assert.ThrowsAsync<ParleyException>(() => client.ConnectAsync().WaitAsync(FakeServer.Patience));

        Assert.Equal(ClientErrorCodes.Unreachable, failure.Code);
        Assert.Contains(address.ToString(), failure.Message, StringComparison.Ordinal);
        Assert.Equal(ParleyClientState.Offline, client.State);
    }

    [Fact]
    public async Task ASendIsAnsweredByTheAckWithItsId()
    {
        await using var connection = await ConnectAsync();

        var sending = _client.SendAsync("#lobby", "hi all");
        var send = await connection.ExpectAsync("send");
        await connection.WriteAsync($$"""{"type":"ack","id":"{{send["id"]}}","seq":1,"ts":"2026-01-01T00:00:01.250Z"}""");
        var ack = await sending.WaitAsync(FakeServer.Patience);

        Assert.Equal("#lobby", (string?)send["to"]);
        Assert.Equal("hi all", (string?)send["text"]);
        Assert.Equal(1, ack.Seq);
        Assert.Equal((string?)send["id"], ack.Id);
    }

    [Fact]
    public async Task ARateLimitedSendCarriesTheCodeAndTheWait()
    {
        await using var connection = await ConnectAsync();

        var sending = _client.SendAsync("#lobby", "too fast");
        var send = await connection.ExpectAsync("send");
        await connection.WriteAsync($$"""{"type":"error","id":"{{send["id"]}}","code":"rate_limited","message":"Slow down.","retryAfterMs":1500}""");
        var refusal = await Assert.ThrowsAsync<ParleyException>(() => sending.WaitAsync(FakeServer.Patience));

        Assert.Equal(ErrorCodes.RateLimited, refusal.Code);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), refusal.RetryAfter);
    }

    [Fact]
    public async Task ARequestIsAnsweredByTheReplyWithItsIdAndJoinedRoomsAreTracked()
    {
        await using var connection = await ConnectAsync();
        await using var frames = _client.ReadFramesAsync().GetAsyncEnumerator();

        var joining = _client.JoinAsync("#dev");
        var join = await connection.ExpectAsync("join");
        await connection.WriteAsync($$"""{"type":"joined","id":"{{join["id"]}}","room":"#dev","users":["alice","bob"],"seq":10}""");
        var joined = await joining.WaitAsync(FakeServer.Patience);
        // 10 was said before alice came in; 11 is new
        await connection.WriteAsync("""{"type":"message","seq":10,"to":"#dev","from":"bob","text":"old","ts":"2026-01-01T00:00:02.000Z"}""");
        await connection.WriteAsync("""{"type":"message","seq":11,"to":"#dev","from":"bob","text":"new","ts":"2026-01-01T00:00:03.000Z"}""");
        var received = await TakeAsync(frames, 1);

        Assert.Equal(["alice", "bob"], joined.Users);
        Assert.Contains("#dev", _client.JoinedRooms);
        Assert.Equal("new", Assert.IsType<MessageFrame>(Assert.Single(received)).Text);
    }

    [Fact]
    public async Task AnErrorReplyToARequestThrowsItsCode()
    {
        await using var connection = await ConnectAsync();

        var asking = _client.WhoAsync("#nowhere");
        var who = await connection.ExpectAsync("who");
        await connection.WriteAsync($$"""{"type":"error","id":"{{who["id"]}}","code":"invalid_room","message":"No such room."}""");

        var refusal = await Assert.ThrowsAsync<ParleyException>(() => asking.WaitAsync(FakeServer.Patience));
        Assert.Equal(ErrorCodes.InvalidRoom, refusal.Code);
    }

    [Fact]
    public async Task AfterALostConnectionTheClientResumesResendsInOrderWithTheOriginalIdsAndDeliversNothingTwice()
    {
        var first = await ConnectAsync(seqs: "{\"#lobby\":5}");
        await using var frames = _client.ReadFramesAsync().GetAsyncEnumerator();
        await first.WriteAsync("""{"type":"message","seq":6,"to":"#lobby","from":"bob","text":"six","ts":"2026-01-01T00:00:06.000Z"}""");
        Assert.Equal(6, ((MessageFrame)(await TakeAsync(frames, 1))[0]).Seq);

        var one = _client.SendAsync("#lobby", "one");
        var two = _client.SendAsync("#lobby", "two");
        var sendOne = await first.ExpectAsync("send");
        var sendTwo = await first.ExpectAsync("send");
        await first.WriteAsync($$"""{"type":"ack","id":"{{sendOne["id"]}}","seq":7,"ts":"2026-01-01T00:00:07.000Z"}""");
        Assert.Equal(7, (await one.WaitAsync(FakeServer.Patience)).Seq);
        var who = _client.WhoAsync("#lobby");
        await first.ExpectAsync("who");

        await first.DisposeAsync();

        var lost = await Assert.ThrowsAsync<ParleyException>(() => who.WaitAsync(FakeServer.Patience));
        Assert.Equal(ClientErrorCodes.ConnectionLost, lost.Code);
        var reconnecting = await StateAsync(ParleyClientState.Reconnecting);
        Assert.Equal(1, reconnecting.Attempt);
        // sent while reconnecting: waits for the next welcome, after the resend of "two"
        var three = _client.SendAsync("#lobby", "three");

        await using var second = await _server.AcceptAsync();
        var hello = await second.ExpectAsync("hello");
        Assert.Equal(7, (long?)hello["resume"]?["#lobby"]);
        await second.WelcomeAsync(hello, seqs: "{\"#lobby\":9}");
        await second.WriteAsync("""{"type":"message","seq":7,"to":"#lobby","from":"alice","text":"one","ts":"2026-01-01T00:00:07.000Z","resumed":true}""");
        await second.WriteAsync("""{"type":"message","seq":8,"to":"#lobby","from":"bob","text":"eight","ts":"2026-01-01T00:00:08.000Z","resumed":true}""");
        var resentTwo = await second.ExpectAsync("send");
        var sendThree = await second.ExpectAsync("send");
        await second.WriteAsync($$"""{"type":"ack","id":"{{resentTwo["id"]}}","seq":9,"ts":"2026-01-01T00:00:09.000Z"}""");
        await second.WriteAsync($$"""{"type":"ack","id":"{{sendThree["id"]}}","seq":10,"ts":"2026-01-01T00:00:10.000Z"}""");
        await second.WriteAsync("""{"type":"message","seq":8,"to":"#lobby","from":"bob","text":"eight again","ts":"2026-01-01T00:00:08.000Z"}""");
        await second.WriteAsync("""{"type":"message","seq":11,"to":"#lobby","from":"bob","text":"eleven","ts":"2026-01-01T00:00:11.000Z"}""");

        Assert.Equal((string?)sendTwo["id"], (string?)resentTwo["id"]);
        Assert.Equal("two", (string?)resentTwo["text"]);
        Assert.Equal("three", (string?)sendThree["text"]);
        Assert.Equal(9, (await two.WaitAsync(FakeServer.Patience)).Seq);
        Assert.Equal(10, (await three.WaitAsync(FakeServer.Patience)).Seq);
        var received = (await TakeAsync(frames, 2)).Cast<MessageFrame>().ToList();
        Assert.Equal([8L, 11L], received.Select(m => m.Seq));
        Assert.True(received[0].Resumed);
        Assert.Equal(ParleyClientState.Connected, _client.State);
    }

    [Fact]
    public async Task AServerShutdownIsPassedOnAndTheClientReconnects()
    {
        await using var first = await ConnectAsync();
        var shutdown = new TaskCompletionSource<ServerFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        _client.FrameReceived += (_, e) => shutdown.TrySetResult(e.Frame);

        await first.WriteAsync("""{"type":"error","code":"server_shutdown","message":"The server is stopping."}""");

        var error = Assert.IsType<ErrorFrame>(await shutdown.Task.WaitAsync(FakeServer.Patience));
        Assert.Equal(ErrorCodes.ServerShutdown, error.Code);
        var reconnecting = await StateAsync(ParleyClientState.Reconnecting);
        Assert.Equal(ErrorCodes.ServerShutdown, reconnecting.Error?.Code);
        await using var second = await _server.AcceptAsync();
        var hello = await second.ExpectAsync("hello");
        Assert.Equal(0, (long?)hello["resume"]?["#lobby"]);
        await second.WelcomeAsync(hello);
        await StateAsync(ParleyClientState.Connected);
    }

    [Fact]
    public async Task WithoutAutoReconnectALostConnectionLeavesTheClientOfflineAndFailsItsSends()
    {
        await using var client = NewClient(_server, autoReconnect: false);
        _client = client;
        await using var connection = await ConnectAsync();
        var sending = _client.SendAsync("#lobby", "lost");
        await connection.ExpectAsync("send");

        await connection.DisposeAsync();

        var lost = await Assert.ThrowsAsync<ParleyException>(() => sending.WaitAsync(FakeServer.Patience));
        Assert.Equal(ClientErrorCodes.ConnectionLost, lost.Code);
        await StateAsync(ParleyClientState.Offline);
    }

    [Fact]
    public async Task QuitSaysQuitAndTheClientStaysOffline()
    {
        var connection = await ConnectAsync();
        await using var frames = _client.ReadFramesAsync().GetAsyncEnumerator();

        var quitting = _client.QuitAsync("bye");
        var quit = await connection.ExpectAsync("quit");
        await connection.DisposeAsync();
        await quitting.WaitAsync(FakeServer.Patience);

        Assert.Equal("bye", (string?)quit["reason"]);
        Assert.Equal(ParleyClientState.Offline, _client.State);
        Assert.False(await frames.MoveNextAsync().AsTask().WaitAsync(FakeServer.Patience));
        var closed = await Assert.ThrowsAsync<ParleyException>(() => _client.SendAsync("#lobby", "after"));
        Assert.Equal(ClientErrorCodes.Closed, closed.Code);
    }

    [Fact]
    public async Task ACancelledSendIsNotResentAfterAReconnect()
    {
        var first = await ConnectAsync();
        using var cancel = new CancellationTokenSource();
        var sending = _client.SendAsync("#lobby", "never mind", cancel.Token);
        await first.ExpectAsync("send");

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending.WaitAsync(FakeServer.Patience));
        await first.DisposeAsync();
        await using var second = await _server.AcceptAsync();
        await second.WelcomeAsync(await second.ExpectAsync("hello"));
        await StateAsync(ParleyClientState.Connected);
        var later = _client.SendAsync("#lobby", "later");

        Assert.Equal("later", (string?)(await second.ExpectAsync("send"))["text"]);
        Assert.False(later.IsCompleted);
    }

    [Fact]
    public async Task WhenNobodyReadsTheOldestFramesAreDroppedAndCounted()
    {
        await using var client = NewClient(_server, receiveBuffer: 2);
        _client = client;
        await using var connection = await ConnectAsync();
        foreach (var user in new[] { "bob", "carol", "dave" })
        {
            await connection.WriteAsync($$"""{"type":"presence","room":"#lobby","user":"{{user}}","event":"join","ts":"2026-01-01T00:00:00.000Z"}""");
        }
        // a reply after them proves they have been received
        var asking = _client.PingAsync();
        var ping = await connection.ExpectAsync("ping");
        await connection.WriteAsync($$"""{"type":"pong","id":"{{ping["id"]}}"}""");
        await asking.WaitAsync(FakeServer.Patience);
        await using var frames = _client.ReadFramesAsync().GetAsyncEnumerator();

        var kept = await TakeAsync(frames, 2);

        Assert.Equal(1, _client.DroppedFrameCount);
        Assert.Equal(["carol", "dave"], kept.Cast<PresenceFrame>().Select(p => p.User));
    }

    [Fact]
    public async Task ASendBeforeConnectingFailsAtOnce()
    {
        var failure = await Assert.ThrowsAsync<ParleyException>(() => _client.SendAsync("#lobby", "early"));

        Assert.Equal(ClientErrorCodes.NotConnected, failure.Code);
    }

    [Fact]
    public async Task ARequestWithoutAConnectionFailsAtOnce()
    {
        var failure = await Assert.ThrowsAsync<ParleyException>(() => _client.RoomsAsync());

        Assert.Equal(ClientErrorCodes.NotConnected, failure.Code);
    }

    [Fact]
    public async Task RegisteringMakesReconnectsSayThePassword()
    {
        var first = await ConnectAsync();
        var registering = _client.RegisterAsync("correct horse");
        var register = await first.ExpectAsync("register");
        await first.WriteAsync($$"""{"type":"registered","id":"{{register["id"]}}","user":"alice"}""");
        await registering.WaitAsync(FakeServer.Patience);

        await first.DisposeAsync();

        await using var second = await _server.AcceptAsync();
        var hello = await second.ExpectAsync("hello");
        Assert.Equal("correct horse", (string?)hello["password"]);
    }

    [Fact]
    public async Task TheWebSocketTransportCarriesOneFramePerMessage()
    {
        await using var server = FakeServer.StartWebSocket();
        await using var client = NewClient(server);
        var connecting = client.ConnectAsync();
        await using var connection = await server.AcceptAsync();
        await connection.WelcomeAsync(await connection.ExpectAsync("hello"));
        await connecting.WaitAsync(FakeServer.Patience);

        var sending = client.SendAsync("bob", "über ✓");
        var send = await connection.ExpectAsync("send");
        await connection.WriteAsync($$"""{"type":"ack","id":"{{send["id"]}}","seq":1,"ts":"2026-01-01T00:00:01.000Z"}""");

        Assert.Equal("über ✓", (string?)send["text"]);
        Assert.Equal(1, (await sending.WaitAsync(FakeServer.Patience)).Seq);
    }
}
