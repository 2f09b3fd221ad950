using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Parley.Testing;

namespace Parley.Server.Tests.Fuzzing;

/// <summary>
/// Plays a <see cref="WireCase"/> over a real connection and gathers every frame the server sends back.
/// The items are followed by a <c>quit</c> and a ping with <see cref="Sentinel"/> as its id: after
/// <c>hello</c> the quit closes the connection once everything owed is sent; before it, the quit is
/// refused and the ping's answer is the last, every earlier answer having gone out before it.
/// </summary>
internal static class WireExchange
{
    /// <summary>The id of the closing ping; no generated id holds a <c>~</c>.</summary>
    public const string Sentinel = "~end~";

    private static readonly byte[] s_quit = """{"type":"quit"}"""u8.ToArray();
    private static readonly byte[] s_ping = Encoding.UTF8.GetBytes($$"""{"type":"ping","id":"{{Sentinel}}"}""");

    /// <summary>Sends the case over <paramref name="client"/>; returns what came back and whether the server closed the connection.</summary>
    public static async Task<(List<JsonElement> Frames, bool Closed)> PlayAsync(RawClient client, WireCase play)
    {
        try
        {
            if (client.Transport == Transport.Tcp)
            {
                await WriteLinesAsync(client, play);
            }
            else
            {
                await SendMessagesAsync(client, play);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or WebSocketException or ObjectDisposedException)
        {
            // the server closed the connection while the client was still sending: what it answered
            // before that, and why it closed, is checked on what came back
        }
        return await client.ReadUntilAsync(frame => frame.Id() == Sentinel);
    }

    // over TCP: every item a line, the whole stream written in pieces cut wherever the case says
    private static async Task WriteLinesAsync(RawClient client, WireCase play)
    {
        var stream = new List<byte>();
        foreach (var item in play.Items)
        {
            stream.AddRange(item.Bytes);
            stream.AddRange(item.CarriageReturn ? "\r\n"u8.ToArray() : "\n"u8.ToArray());
        }
        stream.AddRange([.. s_quit, (byte)'\n', .. s_ping, (byte)'\n']);
        var bytes = stream.ToArray();
        var start = 0;
        foreach (var end in play.WriteCuts.Select(cut => cut % (bytes.Length + 1)).Order().Append(bytes.Length))
        {
            if (end > start)
            {
                await client.WriteTcpAsync(bytes[start..end]);
                start = end;
            }
        }
    }

    // over WebSocket: every item a message, text or binary, fragmented wherever the item says
    private static async Task SendMessagesAsync(RawClient client, WireCase play)
    {
        foreach (var item in play.Items)
        {
            var type = item.Kind == WireItemKind.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
            await client.SendWebSocketMessageAsync(item.Bytes, type, item.Cuts);
        }
        await client.SendWebSocketMessageAsync(s_quit, WebSocketMessageType.Text, []);
        await client.SendWebSocketMessageAsync(s_ping, WebSocketMessageType.Text, []);
    }
}
