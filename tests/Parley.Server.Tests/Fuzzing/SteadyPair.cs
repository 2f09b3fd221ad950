using System.Globalization;
using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Fuzzing;

/// <summary>
/// Two well-behaved clients chatting in a room of their own while fuzzing clients connect beside them:
/// the keeper sends, the watcher (over the other transport) must receive each message, and the keeper
/// must get each ack, whatever the others send.
/// </summary>
internal sealed class SteadyPair : IAsyncDisposable
{
    private const string Room = "#steady";

    private readonly RawClient _keeper;
    private readonly RawClient _watcher;
    private int _sent;

    private SteadyPair(RawClient keeper, RawClient watcher)
    {
        _keeper = keeper;
        _watcher = watcher;
    }

    /// <summary>Connects the pair, the keeper over <paramref name="transport"/>, and has both join the room.</summary>
    public static async Task<SteadyPair> StartAsync(TestServer server, Transport transport)
    {
        var keeper = await server.HelloAsync(transport, "keeper");
        var watcher = await server.HelloAsync(transport == Transport.Tcp ? Transport.WebSocket : Transport.Tcp, "watcher");
        foreach (var client in new[] { keeper, watcher })
        {
            await client.SendAsync(new JoinFrame { Id = "join", Room = Room });
            Assert.True((await client.ReplyAsync("join")).Is("joined"));
        }
        return new SteadyPair(keeper, watcher);
    }

    /// <summary>Sends the next message; the task it returns checks that it was acked and delivered.</summary>
    public async Task<Func<Task>> SendAsync()
    {
        var n = (++_sent).ToString(CultureInfo.InvariantCulture);
        var (id, text) = ("steady-" + n, "steady message " + n);
        await _keeper.SendAsync(new SendFrame { Id = id, To = Room, Text = text });
        return async () =>
        {
            var ack = await _keeper.ReplyAsync(id);
            Assert.True(ack.Is("ack"), $"the keeper's send {n} is acked: {ack.GetRawText()}");
            var (message, _) = await _watcher.WaitForAsync(frame => frame.Is("message") && frame.Str("text") == text);
            Assert.Equal((Room, "keeper", ack.Num("seq")), (message.Str("to"), message.Str("from"), message.Num("seq")));
        };
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _keeper.DisposeAsync();
        await _watcher.DisposeAsync();
    }
}
