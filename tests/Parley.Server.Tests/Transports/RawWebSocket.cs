using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Parley.Testing;

namespace Parley.Server.Tests.Transports;

/// <summary>
/// A WebSocket client whose handshake a test writes byte for byte: what goes before it on the
/// connection, and what follows it in the same write, are the test's to choose.
/// </summary>
internal sealed class RawWebSocket : IAsyncDisposable
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    private readonly TcpClient _tcp;

    private RawWebSocket(TcpClient tcp, WebSocket socket, string answer)
    {
        _tcp = tcp;
        Socket = socket;
        Answer = answer;
    }

    /// <summary>The WebSocket over the connection, once the handshake is answered.</summary>
    public WebSocket Socket { get; }

    /// <summary>The head of the server's answer to the handshake.</summary>
    public string Answer { get; }

    /// <summary>A client's opening handshake for /ws.</summary>
    public static string Handshake(IPEndPoint http) =>
        $"GET /ws HTTP/1.1\r\nHost: {http}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {Key}\r\nSec-WebSocket-Version: 13\r\n\r\n";

    /// <summary>
    /// Connects, writes <paramref name="before"/>, the handshake and <paramref name="after"/> in one
    /// write, and reads the answer up to the handshake's (any answers to <paramref name="before"/>
    /// are skipped). With <paramref name="smallReceiveBuffer"/> the client's kernel holds little
    /// of what the server sends, as for a client that stops reading.
    /// </summary>
    public static async Task<RawWebSocket> ConnectAsync(IPEndPoint http, string before = "", byte[]? after = null, bool smallReceiveBuffer = false)
    {
        var tcp = new TcpClient { NoDelay = true };
        if (smallReceiveBuffer)
        {
            tcp.ReceiveBufferSize = 4096;
        }
        await tcp.ConnectAsync(http).WaitAsync(Waits.Frame);
        var stream = tcp.GetStream();
        byte[] request = [.. Encoding.ASCII.GetBytes(before + Handshake(http)), .. after ?? []];
        await stream.WriteAsync(request).AsTask().WaitAsync(Waits.Frame);
        string answer;
        do
        {
            answer = await ReadHeadAsync(stream);
        }
        while (!answer.StartsWith("HTTP/1.1 101 ", StringComparison.Ordinal) && answer.StartsWith("HTTP/1.1 2", StringComparison.Ordinal));
        var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false });
        return new RawWebSocket(tcp, socket, answer);
    }

    /// <summary>A client's text message as it goes on the wire: one final frame, masked.</summary>
    public static byte[] MaskedTextFrame(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        if (payload.Length > 125)
        {
            throw new ArgumentException("Only short messages are framed here.", nameof(text));
        }
        byte[] mask = [0x12, 0x34, 0x56, 0x78];
        var frame = new byte[2 + mask.Length + payload.Length];
        frame[0] = 0x81; // final frame, text
        frame[1] = (byte)(0x80 | payload.Length); // masked, length
        mask.CopyTo(frame, 2);
        for (var i = 0; i < payload.Length; i++)
        {
            frame[6 + i] = (byte)(payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    /// <summary>Sends one text message.</summary>
    public Task SendTextAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).WaitAsync(Waits.Frame);

    /// <summary>The next whole text message, or null once the server closed the WebSocket or cut the connection.</summary>
    public async Task<string?> ReceiveTextAsync(TimeSpan timeout)
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await Socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).AsTask().WaitAsync(timeout);
            }
            catch (WebSocketException)
            {
                return null; // the connection ended without a close frame
            }
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }

    /// <summary>
    /// Once the WebSocket is done with: whether the server ends the connection itself (the end of the
    /// stream or a reset) within <paramref name="timeout"/>, whatever bytes come before.
    /// </summary>
    public async Task<bool> ServerEndsTheConnectionAsync(TimeSpan timeout)
    {
        var buffer = new byte[4096];
        var stream = _tcp.GetStream();
        try
        {
            while (await stream.ReadAsync(buffer).AsTask().WaitAsync(timeout) > 0)
            {
            }
            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Socket.Dispose();
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    // one response head, read a byte at a time so that nothing behind it is taken (a body is skipped by its length)
    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one).AsTask().WaitAsync(Waits.Frame) == 0)
            {
                throw new IOException($"The server closed the connection after: {head}");
            }
            head.Append((char)one[0]);
        }
        var text = head.ToString();
        var length = text.Split("\r\n").FirstOrDefault(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        if (length is not null)
        {
            var body = new byte[int.Parse(length["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)];
            await stream.ReadExactlyAsync(body).AsTask().WaitAsync(Waits.Frame);
        }
        return text;
    }
}
