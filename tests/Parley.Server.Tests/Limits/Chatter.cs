using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Limits;

/// <summary>
/// A legitimate client of the chaos run: a guest in one room, sending one message at a time and waiting for its
/// ack, keeping every message it hears meanwhile, in the order it heard them.
/// </summary>
internal sealed class Chatter(RawClient client, string name, string room) : IAsyncDisposable
{
    private readonly List<JsonElement> _heard = [];
    private readonly List<(string Text, long Seq)> _acked = [];

    public string Name => name;

    public string Room => room;

    /// <summary>Every message this chatter heard, in arrival order.</summary>
    public IReadOnlyList<JsonElement> Heard => _heard;

    /// <summary>What this chatter sent and had acked, in sending order, with the seq of each ack.</summary>
    public IReadOnlyList<(string Text, long Seq)> Acked => _acked;

    /// <summary>Connects from <paramref name="from"/>, says hello as a guest, joins <paramref name="room"/> and leaves #lobby.</summary>
    public static async Task<Chatter> JoinAsync(TestServer server, Transport transport, IPAddress from, string name, string room)
    {
        var client = transport == Transport.Tcp
            ? await RawClient.ConnectTcpFromAsync(server.Tcp, from)
            : await RawClient.ConnectWebSocketFromAsync(server.WebSocketUri, from);
        try
        {
            await client.SendAsync(new HelloFrame { Id = "h", User = name });
            var welcome = await client.ReplyAsync("h");
            Assert.True(welcome.Is("welcome"), welcome.GetRawText());
            await client.SendAsync(new JoinFrame { Id = "j", Room = room });
            var joined = await client.ReplyAsync("j");
            Assert.True(joined.Is("joined"), joined.GetRawText());
            // the lobby would carry every chatter's presence to all 200: only the room matters here
            await client.SendAsync(new LeaveFrame { Id = "l", Room = "#lobby" });
            var left = await client.ReplyAsync("l");
            Assert.True(left.Is("left"), left.GetRawText());
            return new Chatter(client, name, room);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Sends to the room one message every <paramref name="interval"/> (later, when an ack is late), each once the
    /// previous one was acked: at least <paramref name="count"/>, and on while <paramref name="more"/> says so, up
    /// to <paramref name="most"/>. Starts after <paramref name="offset"/>, so that clients started together do not
    /// send together. Returns each message's time from send to ack.
    /// </summary>
    public async Task<List<TimeSpan>> ChatAsync(string phase, TimeSpan interval, TimeSpan offset, int count, Func<bool> more, int most)
    {
        var latencies = new List<TimeSpan>(count);
        // pacing, not waiting for an event: a person chats at a pace, and this client's turn comes after the others'
        await Task.Delay(offset);
        using var pace = new PeriodicTimer(interval);
        for (var i = 0; i < count || more(); i++)
        {
            Assert.True(i < most, $"{name} sent {most} messages in run {phase}, and it had not ended");
            if (i > 0)
            {
                await pace.WaitForNextTickAsync();
            }
            var id = $"{phase}{i}";
            var text = $"{name} {phase} {i}";
            var sent = Stopwatch.GetTimestamp();
            await client.SendAsync(new SendFrame { Id = id, To = room, Text = text });
            var (ack, skipped) = await client.WaitForAsync(f => f.Id() == id, Waits.Long);
            latencies.Add(Stopwatch.GetElapsedTime(sent));
            Keep(skipped);
            Assert.True(ack.Is("ack"), $"{name}'s send {id}: {ack.GetRawText()}");
            _acked.Add((text, ack.Num("seq")));
        }
        return latencies;
    }

    /// <summary>
    /// Reads until every text of <paramref name="expected"/> was heard, then until a ping's pong, so that
    /// whatever the server queued for this chatter before it (a copy too many) is heard as well.
    /// </summary>
    public async Task HearAllAsync(IReadOnlySet<string> expected)
    {
        var missing = new HashSet<string>(expected, StringComparer.Ordinal);
        missing.ExceptWith(_heard.Select(m => m.Str("text")!));
        while (missing.Count > 0)
        {
            JsonElement message;
            try
            {
                (message, var skipped) = await client.WaitForAsync(f => f.Is("message"));
                Keep(skipped);
            }
            catch (Xunit.Sdk.XunitException e)
            {
                throw new Xunit.Sdk.XunitException(
                    $"{name} in {room} never heard {missing.Count} acked messages, among them {string.Join(", ", missing.Order(StringComparer.Ordinal).Take(5))}: {e.Message}");
            }
            _heard.Add(message);
            missing.Remove(message.Str("text")!);
        }
        await client.SendAsync(new PingFrame { Id = "drain" });
        var (pong, before) = await client.WaitForAsync(f => f.Id() == "drain");
        Assert.True(pong.Is("pong"), pong.GetRawText());
        Keep(before);
    }

    private void Keep(List<JsonElement> frames)
    {
        foreach (var frame in frames)
        {
            // presence of the room's joins goes by; an error without an id (slow_consumer) would end the run
            Assert.False(frame.Is("error"), $"{name} was sent {frame.GetRawText()}");
            if (frame.Is("message"))
            {
                _heard.Add(frame);
            }
        }
    }

    public ValueTask DisposeAsync() => client.DisposeAsync();
}
