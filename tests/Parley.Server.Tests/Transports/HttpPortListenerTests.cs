using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Server.Transports;
using Parley.Testing;

namespace Parley.Server.Tests.Transports;

/// <summary>
/// The HTTP endpoint's listener on its own, with this test in Kestrel's place: which connections it
/// keeps and which it hands on, and with what.
/// </summary>
public sealed class HttpPortListenerTests
{
    [Fact]
    public async Task AConnectionThatSaysNothingIsHandedOnOnceThePatienceIsOver()
    {
        await using var server = await TestServer.StartAsync();
        await using var started = Start(server, patience: TimeSpan.FromMilliseconds(100));
        var listener = started.Listener;
        using var silent = await ConnectAsync(listener);
        var connection = await HandedOnAsync(listener);
        // what the client says later is Kestrel's to read
        await silent.GetStream().WriteAsync("GET / HTTP/1.1\r\n"u8.ToArray()).AsTask().WaitAsync(Waits.Frame);
        Assert.Equal("GET / HTTP/1.1\r\n", await ReadAsync(connection, "GET / HTTP/1.1\r\n".Length));
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task ARequestThatIsNotAHandshakeIsHandedOnWithEveryByte()
    {
        await using var server = await TestServer.StartAsync();
        await using var started = Start(server, patience: Waits.Long);
        var listener = started.Listener;
        using var client = await ConnectAsync(listener);
        // two requests in one write, the second a handshake: the first decides, and nothing is taken
        var sent = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + RawWebSocket.Handshake((IPEndPoint)listener.EndPoint);
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(sent)).AsTask().WaitAsync(Waits.Frame);
        var connection = await HandedOnAsync(listener);
        Assert.Equal(sent, await ReadAsync(connection, sent.Length));
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task AHandshakeSplitOverWritesIsHandedOnWhole()
    {
        await using var server = await TestServer.StartAsync();
        await using var started = Start(server, patience: Waits.Long);
        var listener = started.Listener;
        using var client = await ConnectAsync(listener);
        var handshake = RawWebSocket.Handshake((IPEndPoint)listener.EndPoint);

        // half a head is not a handshake yet: Kestrel gets the connection, and later the rest
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(handshake[..20])).AsTask().WaitAsync(Waits.Frame);
        var connection = await HandedOnAsync(listener);
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(handshake[20..])).AsTask().WaitAsync(Waits.Frame);
        Assert.Equal(handshake, await ReadAsync(connection, handshake.Length));
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task AHandshakeIsServedHereAndNotHandedOn()
    {
        await using var server = await TestServer.StartAsync();
        await using var started = Start(server, patience: Waits.Long);
        var listener = started.Listener;
        // nobody else answers here: a welcome means the listener served the WebSocket itself
        await using var webSocket = await RawWebSocket.ConnectAsync((IPEndPoint)listener.EndPoint, after: RawWebSocket.MaskedTextFrame("""{"type":"hello","user":"alice"}"""));
        Assert.Contains("\"type\":\"welcome\"", await webSocket.ReceiveTextAsync(Waits.Frame), StringComparison.Ordinal);

        // and the first connection handed on is the next one, not the WebSocket's
        using var plain = await ConnectAsync(listener);
        await plain.GetStream().WriteAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray()).AsTask().WaitAsync(Waits.Frame);
        var connection = await HandedOnAsync(listener);
        Assert.Equal("GET / HTTP/1.1\r\n\r\n", await ReadAsync(connection, "GET / HTTP/1.1\r\n\r\n".Length));
        await connection.DisposeAsync();
    }

    private static StartedListener Start(TestServer server, TimeSpan patience)
    {
        var listener = new HttpPortListener(server.Host.Server, new WebSocketCreationOptions { IsServer = true }, patience, NullLoggerFactory.Instance);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.StartAccepting();
        return new StartedListener(listener);
    }

    // the next connection the listener gives Kestrel
    private static async Task<ConnectionContext> HandedOnAsync(HttpPortListener listener)
    {
        var connection = await listener.AcceptAsync().AsTask().WaitAsync(Waits.Frame);
        Assert.NotNull(connection);
        return connection;
    }

    private static async Task<TcpClient> ConnectAsync(HttpPortListener listener)
    {
        var client = new TcpClient();
        await client.ConnectAsync((IPEndPoint)listener.EndPoint).WaitAsync(Waits.Frame);
        return client;
    }

    // the first `length` bytes the handed-on connection gives its reader
    private static async Task<string> ReadAsync(ConnectionContext connection, int length)
    {
        while (true)
        {
            var read = await connection.Transport.Input.ReadAsync().AsTask().WaitAsync(Waits.Frame);
            if (read.Buffer.Length >= length || read.IsCompleted)
            {
                var text = Encoding.ASCII.GetString(read.Buffer.ToArray());
                connection.Transport.Input.AdvanceTo(read.Buffer.End);
                return text;
            }
            connection.Transport.Input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <summary>A listener bound for one test; disposing it cuts off what it serves and unbinds it.</summary>
    private sealed class StartedListener(HttpPortListener listener) : IAsyncDisposable
    {
        public HttpPortListener Listener => listener;

        public async ValueTask DisposeAsync()
        {
            await listener.CutOffWebSocketsAsync(TimeSpan.Zero);
            await listener.DisposeAsync();
        }
    }
}
