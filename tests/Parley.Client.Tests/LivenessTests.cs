using System.Threading.Channels;

namespace Parley.Client.Tests;

/// <summary>Pings and the silence check, on a clock the test moves.</summary>
public sealed class LivenessTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly FakeServer _server = FakeServer.StartTcp();
    private readonly ManualTimeProvider _clock = new();
    private readonly Channel<ParleyStateChangedEventArgs> _states = Channel.CreateUnbounded<ParleyStateChangedEventArgs>();
    private ParleyClient _client = null!;
    private FakeConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _client = new ParleyClient(new ParleyClientOptions { Server = _server.Address, User = "alice", PingInterval = Interval }, _clock);
        _client.StateChanged += (_, e) => _states.Writer.TryWrite(e);
        var connecting = _client.ConnectAsync();
        _connection = await _server.AcceptAsync();
        await _connection.WelcomeAsync(await _connection.ExpectAsync("hello"));
        await connecting.WaitAsync(FakeServer.Patience);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _connection.DisposeAsync();
        await _server.DisposeAsync();
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

    [Fact]
    public async Task APingGoesOutAfterOneInterval()
    {
        _clock.Advance(Interval);

        var ping = await _connection.ExpectAsync("ping");
        Assert.Null(ping["id"]);
        Assert.Equal(ParleyClientState.Connected, _client.State);
    }

    [Fact]
    public async Task AConnectionSilentForTwoIntervalsIsTakenAsLost()
    {
        _clock.Advance(Interval);
        await _connection.ExpectAsync("ping");

        _clock.Advance(Interval);

        var reconnecting = await StateAsync(ParleyClientState.Reconnecting);
        Assert.Equal(ClientErrorCodes.ConnectionLost, reconnecting.Error?.Code);
        Assert.Contains("Nothing came from the server", reconnecting.Error?.Message, StringComparison.Ordinal);
        Assert.Null(await _connection.ReadAsync());
    }

    [Fact]
    public async Task AnAnswerKeepsTheConnectionAlive()
    {
        _clock.Advance(Interval);
        await _connection.ExpectAsync("ping");
        await _connection.WriteAsync("""{"type":"pong"}""");
        // the pong is read before the clock moves on: a request round trip proves it
        var asking = _client.PingAsync();
        var ping = await _connection.ExpectAsync("ping");
        await _connection.WriteAsync($$"""{"type":"pong","id":"{{ping["id"]}}"}""");
        await asking.WaitAsync(FakeServer.Patience);

        _clock.Advance(Interval);

        await _connection.ExpectAsync("ping");
        Assert.Equal(ParleyClientState.Connected, _client.State);
    }
}
