using System.Text;
using Parley.Server.Transports;

namespace Parley.Server.Tests.Transports;

public sealed class WebSocketHandshakeTests
{
    // RFC 6455, section 1.3: the key of its example and the answer it gives
    private const string ExampleKey = "dGhlIHNhbXBsZSBub25jZQ==";

    private const string Handshake =
        "GET /ws HTTP/1.1\r\n" +
        "Host: 127.0.0.1:8080\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: Upgrade\r\n" +
        $"Sec-WebSocket-Key: {ExampleKey}\r\n" +
        "Sec-WebSocket-Version: 13\r\n" +
        "\r\n";

    [Fact]
    public void AWholeHandshakeIsRecognisedWithItsLengthAndKey()
    {
        var bytes = Encoding.ASCII.GetBytes(Handshake + "frame bytes behind it");
        Assert.True(WebSocketHandshake.TryRead(bytes, out var headLength, out var key));
        Assert.Equal(Handshake.Length, headLength);
        Assert.Equal(ExampleKey, key);
    }

    [Fact]
    public void TheAnswerCarriesTheAcceptValueOfTheRfcExample()
    {
        var answer = Encoding.ASCII.GetString(WebSocketHandshake.Response(ExampleKey));
        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("\r\nUpgrade: websocket\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: Upgrade\r\n", answer, StringComparison.Ordinal);
        Assert.EndsWith("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void WhatBrowsersSendIsRecognised()
    {
        // Chromium's handshake: more headers, other casing, token lists, an extension offered
        const string chromium =
            "GET /ws?room=lobby HTTP/1.1\r\n" +
            "Host: [::1]:8080\r\n" +
            "connection: keep-alive, Upgrade\r\n" +
            "Pragma: no-cache\r\n" +
            "Cache-Control: no-cache\r\n" +
            "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\r\n" +
            "upgrade: WebSocket\r\n" +
            "Origin: http://localhost:8080\r\n" +
            "sec-websocket-version:13\r\n" +
            "Accept-Encoding: gzip, deflate, br\r\n" +
            "Accept-Language: en-US,en;q=0.9\r\n" +
            "Cookie: a=b; c=d\r\n" +
            $"Sec-WebSocket-Key:\t{ExampleKey} \r\n" +
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" +
            "\r\n";
        Assert.True(WebSocketHandshake.TryRead(Encoding.ASCII.GetBytes(chromium), out var headLength, out var key));
        Assert.Equal(chromium.Length, headLength);
        Assert.Equal(ExampleKey, key);
    }

    [Theory]
    [InlineData("GET /ws HTTP/1.1\r\n", "GET / HTTP/1.1\r\n")]
    [InlineData("GET /ws HTTP/1.1\r\n", "GET /wsx HTTP/1.1\r\n")]
    [InlineData("GET /ws HTTP/1.1\r\n", "GET /ws/more HTTP/1.1\r\n")]
    [InlineData("GET /ws HTTP/1.1\r\n", "GET /ws?a b HTTP/1.1\r\n")]
    [InlineData("GET /ws HTTP/1.1\r\n", "POST /ws HTTP/1.1\r\n")]
    [InlineData("GET /ws HTTP/1.1\r\n", "GET /ws HTTP/1.0\r\n")]
    [InlineData("GET /ws HTTP/1.1\r\n", "GET /ws  HTTP/1.1\r\n")]
    [InlineData("Host: 127.0.0.1:8080\r\n", "")]
    [InlineData("Host: 127.0.0.1:8080\r\n", "Host: a\r\nHost: b\r\n")]
    [InlineData("Upgrade: websocket\r\n", "Upgrade: h2c\r\n")]
    [InlineData("Connection: Upgrade\r\n", "Connection: keep-alive\r\n")]
    [InlineData("Sec-WebSocket-Version: 13\r\n", "Sec-WebSocket-Version: 8\r\n")]
    [InlineData("Sec-WebSocket-Version: 13\r\n", "")]
    [InlineData($"Sec-WebSocket-Key: {ExampleKey}\r\n", "")]
    [InlineData($"Sec-WebSocket-Key: {ExampleKey}\r\n", "Sec-WebSocket-Key: not-a-key\r\n")]
    [InlineData($"Sec-WebSocket-Key: {ExampleKey}\r\n", "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n")]
    [InlineData($"Sec-WebSocket-Key: {ExampleKey}\r\n", $"Sec-WebSocket-Key: {ExampleKey}\r\nSec-WebSocket-Key: {ExampleKey}\r\n")]
    [InlineData("Host: 127.0.0.1:8080\r\n", "Host: 127.0.0.1:8080\r\nSec-WebSocket-Protocol: chat\r\n")]
    [InlineData("Host: 127.0.0.1:8080\r\n", "Host: 127.0.0.1:8080\r\nContent-Length: 0\r\n")]
    [InlineData("Host: 127.0.0.1:8080\r\n", "Host: 127.0.0.1:8080\r\nX-Note: caf\u00e9\r\n")]
    [InlineData("Host: 127.0.0.1:8080\r\n", "Host: 127.0.0.1:8080\r\nX-Note: a\r\n folded\r\n")]
    [InlineData("Host: 127.0.0.1:8080\r\n", "Host: 127.0.0.1:8080\r\nnot a header\r\n")]
    [InlineData("Host: 127.0.0.1:8080\r\n", "Host : 127.0.0.1:8080\r\n")]
    [InlineData("Host: 127.0.0.1:8080\r\n", "Host: a b\r\n")]
    [InlineData("Host: 127.0.0.1:8080\r\n", "Host: user@example\r\n")]
    [InlineData("Host: 127.0.0.1:8080\r\n", "Host: 127.0.0.1:8080\r\nX\"Y: 1\r\n")]
    public void AnythingElseIsLeftToKestrel(string part, string replacement)
    {
        var request = Handshake.Replace(part, replacement, StringComparison.Ordinal);
        Assert.NotEqual(Handshake, request);
        Assert.False(WebSocketHandshake.TryRead(Encoding.Latin1.GetBytes(request), out _, out _));
    }

    [Fact]
    public void AHeadThatHasNotEndedIsNotRecognisedYet()
    {
        var bytes = Encoding.ASCII.GetBytes(Handshake);
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.False(WebSocketHandshake.TryRead(bytes.AsSpan(0, length), out _, out _));
        }
    }
}
