using System.Text;
using System.Text.Json;
using Parley.Testing;

namespace Parley.Server.Tests.Transports;

/// <summary>
/// WebSocket clients on the HTTP endpoint, every one through Kestrel's pipeline: a connection that opens
/// with the handshake, and an upgrade after another request.
/// </summary>
public sealed class WebSocketOnTheHttpPortTests
{
    [Fact]
    public async Task AHandshakeAndAFrameInOneWriteAreBothRead()
    {
        await using var server = await TestServer.StartAsync();
        // the frame behind the head must be left in the socket for the WebSocket, not taken with the head
        await using var client = await RawWebSocket.ConnectAsync(server.Http, after: RawWebSocket.MaskedTextFrame("""{"type":"hello","user":"alice"}"""));

        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", client.Answer, StringComparison.Ordinal);
        Assert.Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", client.Answer, StringComparison.Ordinal);
        // the server does not advertise what software it runs
        Assert.DoesNotContain("Server:", client.Answer, StringComparison.Ordinal);
        AssertFrame("welcome", await client.ReceiveTextAsync(Waits.Frame));
    }

    [Fact]
    public async Task AWebSocketOpenedAfterAnotherRequestOnTheSameConnectionWorks()
    {
        await using var server = await TestServer.StartAsync();
        // the connection opens with a plain request, and then upgrades
        await using var client = await RawWebSocket.ConnectAsync(server.Http, before: $"GET /healthz HTTP/1.1\r\nHost: {server.Http}\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", client.Answer, StringComparison.Ordinal);
        await client.SendTextAsync("""{"type":"hello","user":"bob"}""");
        AssertFrame("welcome", await client.ReceiveTextAsync(Waits.Frame));
        await client.SendTextAsync("""{"type":"send","id":"1","to":"#lobby","text":"through Kestrel"}""");
        AssertFrame("ack", await client.ReceiveTextAsync(Waits.Frame));
    }

    [Fact]
    public async Task ARequestForAnotherPathIsServedBesideTheWebSockets()
    {
        await using var server = await TestServer.StartAsync();
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(server.Http).WaitAsync(Waits.Frame);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /healthz HTTP/1.1\r\nHost: {server.Http}\r\nConnection: close\r\n\r\n")).AsTask().WaitAsync(Waits.Frame);
        var answer = Encoding.ASCII.GetString(await ReadToEndAsync(stream));
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nok\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConnectionThatSaysNothingDoesNotHoldUpAStop()
    {
        // a grace longer than the wait below: a stop that waited for the silent connection would time out
        await using var server = await TestServer.StartAsync(new Dictionary<string, string> { ["Parley:ShutdownGrace"] = "00:05:00" });
        using var silent = new System.Net.Sockets.TcpClient();
        await silent.ConnectAsync(server.Http).WaitAsync(Waits.Frame);
        // served, so that the stop has a WebSocket client to tell too
        await using var client = await RawWebSocket.ConnectAsync(server.Http, after: RawWebSocket.MaskedTextFrame("""{"type":"hello","user":"carol"}"""));
        AssertFrame("welcome", await client.ReceiveTextAsync(Waits.Frame));

        await server.StopAsync().WaitAsync(Waits.Frame);
        var frames = new List<string>();
        while (await client.ReceiveTextAsync(Waits.Frame) is { } text)
        {
            frames.Add(text);
        }
        Assert.NotEmpty(frames);
        AssertError("server_shutdown", frames[^1]);
    }

    [Fact]
    public async Task AClientThatDoesNotAnswerTheCloseIsCutOff()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string> { ["Parley:IdleTimeout"] = Waits.ShortIdleTimeout });
        await using var client = await RawWebSocket.ConnectAsync(server.Http, after: RawWebSocket.MaskedTextFrame("""{"type":"hello","user":"dave"}"""));
        AssertFrame("welcome", await client.ReceiveTextAsync(Waits.Frame));

        // silent, so the server closes it while its read waits; this client reads the close frame and
        // never answers it
        while (await client.ReceiveTextAsync(Waits.Frame) is not null)
        {
        }
        Assert.Equal(System.Net.WebSockets.WebSocketState.CloseReceived, client.Socket.State);
        Assert.True(await client.ServerEndsTheConnectionAsync(Waits.Frame), "the connection stayed open without the client's answer");
    }

    private static void AssertError(string code, string text)
    {
        using var frame = JsonDocument.Parse(text);
        Assert.Equal("error", frame.RootElement.GetProperty("type").GetString());
        Assert.Equal(code, frame.RootElement.GetProperty("code").GetString());
    }

    private static void AssertFrame(string type, string? text)
    {
        Assert.NotNull(text);
        using var frame = JsonDocument.Parse(text);
        Assert.Equal(type, frame.RootElement.GetProperty("type").GetString());
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        var all = new MemoryStream();
        await stream.CopyToAsync(all).WaitAsync(Waits.Frame);
        return all.ToArray();
    }
}
