using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Parley.Client.Tests;

/// <summary>
/// A scripted stand-in for a Parley server, for the client's own tests until the real server is merged:
/// the test accepts each connection, reads the client's frames and writes the server's by hand.
/// </summary>
internal sealed class FakeServer : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TcpListener? _tcp;
    private readonly HttpListener? _http;

    private FakeServer(TcpListener? tcp, HttpListener? http, Uri address)
    {
        _tcp = tcp;
        _http = http;
        Address = address;
    }

    public Uri Address { get; }

    public static FakeServer StartTcp()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new FakeServer(listener, null, new Uri($"tcp://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}"));
    }

    public static FakeServer StartWebSocket()
    {
        var port = FreePort();
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/ws/");
        listener.Start();
        return new FakeServer(null, listener, new Uri($"ws://127.0.0.1:{port}/ws"));
    }

    /// <summary>A port nothing listens on.</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public async Task<FakeConnection> AcceptAsync()
    {
        if (_tcp is not null)
        {
            var socket = await _tcp.AcceptSocketAsync().WaitAsync(Patience);
            var stream = new NetworkStream(socket, ownsSocket: true);
            return new FakeConnection(stream, null);
        }
        var context = await _http!.GetContextAsync().WaitAsync(Patience);
        var ws = await context.AcceptWebSocketAsync(null).WaitAsync(Patience);
        return new FakeConnection(null, ws.WebSocket);
    }

    public ValueTask DisposeAsync()
    {
        _tcp?.Stop();
        _http?.Close();
        return ValueTask.CompletedTask;
    }
}

/// <summary>One client connection to the <see cref="FakeServer"/>.</summary>
internal sealed class FakeConnection : IAsyncDisposable
{
    private readonly NetworkStream? _stream;
    private readonly StreamReader? _lines;
    private readonly WebSocket? _ws;

    public FakeConnection(NetworkStream? stream, WebSocket? ws)
    {
        _stream = stream;
        _lines = stream is null ? null : new StreamReader(stream, Encoding.UTF8);
        _ws = ws;
    }

    /// <summary>The next frame from the client, or null when it closed the connection.</summary>
    public async Task<JsonObject?> ReadAsync()
    {
        string? text;
        try
        {
            text = _lines is not null ? await _lines.ReadLineAsync().WaitAsync(FakeServer.Patience) : await ReceiveTextAsync();
        }
        catch (IOException)
        {
            // a client that closes with unread data resets the connection: that is a close too
            return null;
        }
        return text is null ? null : JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The next frame, which must be of <paramref name="type"/>.</summary>
    public async Task<JsonObject> ExpectAsync(string type)
    {
        var frame = await ReadAsync() ?? throw new InvalidOperationException($"Expected \"{type}\", the client closed.");
        Assert.Equal(type, (string?)frame["type"]);
        return frame;
    }

    public async Task WriteAsync(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        if (_stream is not null)
        {
            await _stream.WriteAsync(bytes.Append((byte)'\n').ToArray());
        }
        else
        {
            await _ws!.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
        }
    }

    public Task WelcomeAsync(JsonObject hello, string rooms = "[\"#lobby\"]", string seqs = "{\"#lobby\":0}") =>
        WriteAsync($$"""{"type":"welcome","id":"{{hello["id"]}}","user":"{{hello["user"]}}","server":"fake/0","ts":"2026-01-01T00:00:00.000Z","rooms":{{rooms}},"seqs":{{seqs}}}""");

    public ValueTask DisposeAsync()
    {
        _stream?.Dispose();
        _ws?.Abort();
        _ws?.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<string?> ReceiveTextAsync()
    {
        var buffer = new byte[65_536];
        var count = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await _ws!.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), CancellationToken.None)
                .WaitAsync(FakeServer.Patience);
            count += result.Count;
        }
        while (!result.EndOfMessage);
        return result.MessageType == WebSocketMessageType.Close ? null : Encoding.UTF8.GetString(buffer, 0, count);
    }
}
