using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Parley.Protocol;

namespace Parley.Testing;

/// <summary>
/// A protocol client with nothing of its own: it writes exactly the bytes a test gives and shows
/// exactly the frames the server sends, so tests see the wire as it is.
/// </summary>
public sealed class RawClient : IAsyncDisposable
{
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly TcpClient? _tcp;
    private readonly Stream? _stream;
    private readonly ClientWebSocket? _webSocket;
    private readonly CancellationTokenSource _stop = new();
    private Task _readLoop = Task.CompletedTask;
    private int _disposed;

    private RawClient(TcpClient tcp, Stream stream, bool startReading)
    {
        _tcp = tcp;
        _stream = stream;
        Transport = Transport.Tcp;
        if (startReading)
        {
            StartReading();
        }
    }

    private RawClient(ClientWebSocket webSocket, bool startReading)
    {
        _webSocket = webSocket;
        Transport = Transport.WebSocket;
        if (startReading)
        {
            StartReading();
        }
    }

    /// <summary>The transport this client speaks over.</summary>
    public Transport Transport { get; }

    /// <summary>The <c>welcome</c> this client was given, when it was connected by a server's <c>HelloAsync</c>.</summary>
    public JsonElement? Welcome { get; set; }

    /// <summary>The identity token of <see cref="Welcome"/>: a reconnect with it is the same person.</summary>
    public string Token => Welcome?.GetProperty("token").GetString() ?? throw new InvalidOperationException("No welcome with a token.");

    /// <summary>True once the server closed the connection and every frame before that was read.</summary>
    public bool IsClosed => _frames.Reader.Completion.IsCompleted;

    /// <summary>
    /// Connects over TCP. With <paramref name="startReading"/> false the client reads nothing until
    /// <see cref="StartReading"/>, as a stalled client, and keeps a small receive buffer.
    /// </summary>
    public static async Task<RawClient> ConnectTcpAsync(IPEndPoint endpoint, bool startReading = true) =>
        await ConnectTcpFromAsync(endpoint, from: null, startReading);

    /// <summary>
    /// Connects over TCP from the loopback address <paramref name="from"/> (Linux routes all of 127.0.0.0/8 to
    /// the loopback interface), so that a test can be several clients' addresses at once.
    /// </summary>
    public static async Task<RawClient> ConnectTcpFromAsync(IPEndPoint endpoint, IPAddress? from, bool startReading = true)
    {
        var tcp = new TcpClient(endpoint.AddressFamily) { NoDelay = true };
        if (from is not null)
        {
            tcp.Client.Bind(new IPEndPoint(from, 0));
        }
        if (!startReading)
        {
            tcp.ReceiveBufferSize = 4096;
        }
        await tcp.ConnectAsync(endpoint).WaitAsync(Waits.Frame);
        return new RawClient(tcp, tcp.GetStream(), startReading);
    }

    /// <summary>
    /// Connects over TLS to the TCP endpoint, trusting exactly <paramref name="trusted"/> (a test's
    /// self-signed certificate), with <paramref name="protocols"/> or the platform's default. With
    /// <paramref name="startReading"/> false, as <see cref="ConnectTcpAsync"/>.
    /// </summary>
    /// <remarks>
    /// From the loopback address <paramref name="from"/> when given; <paramref name="preamble"/> goes out before the
    /// handshake, as a proxy's PROXY protocol header does.
    /// </remarks>
    /// <exception cref="AuthenticationException">The handshake failed.</exception>
    public static async Task<RawClient> ConnectTlsAsync(IPEndPoint endpoint, X509Certificate2 trusted, SslProtocols protocols = SslProtocols.None, bool startReading = true,
        IPAddress? from = null, byte[]? preamble = null)
    {
        var tcp = new TcpClient(endpoint.AddressFamily) { NoDelay = true };
        if (!startReading)
        {
            tcp.ReceiveBufferSize = 4096;
        }
        try
        {
            if (from is not null)
            {
                tcp.Client.Bind(new IPEndPoint(from, 0));
            }
            await tcp.ConnectAsync(endpoint).WaitAsync(Waits.Frame);
            if (preamble is not null)
            {
                await tcp.GetStream().WriteAsync(preamble);
            }
            var tls = new SslStream(tcp.GetStream());
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = protocols,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => Trusts(trusted, certificate),
            }).WaitAsync(Waits.Frame);
            return new RawClient(tcp, tls, startReading) { RemoteCertificate = tls.RemoteCertificate as X509Certificate2 };
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Connects over WebSocket with TLS (<c>wss://</c>), trusting exactly <paramref name="trusted"/>, from the loopback address <paramref name="from"/> when given.</summary>
    /// <exception cref="HandshakeRefusedException">The server refused the handshake with an HTTP status.</exception>
    public static Task<RawClient> ConnectSecureWebSocketAsync(Uri uri, X509Certificate2 trusted, IPAddress? from = null) =>
        ConnectWebSocketFromAsync(uri, from, trusted: trusted);

    /// <summary>The certificate the server presented, for a client connected over TLS.</summary>
    public X509Certificate2? RemoteCertificate { get; private init; }

    // the one certificate the test made: the chain of a self-signed certificate is not trusted by the system
    private static bool Trusts(X509Certificate2 trusted, X509Certificate? presented) =>
        presented is not null && presented.GetCertHashString() == trusted.GetCertHashString();

    /// <summary>Starts taking frames off the wire (clients connected with startReading false).</summary>
    public void StartReading() => _readLoop = Task.Run(Transport == Transport.Tcp ? ReadTcpAsync : ReadWebSocketAsync);

    /// <summary>
    /// Connects over WebSocket. With <paramref name="startReading"/> false the client reads nothing until
    /// <see cref="StartReading"/>, as a stalled client.
    /// </summary>
    public static async Task<RawClient> ConnectWebSocketAsync(Uri uri, bool startReading = true) =>
        await ConnectWebSocketFromAsync(uri, from: null, origin: null, startReading);

    /// <summary>
    /// Connects over WebSocket from the loopback address <paramref name="from"/>, saying it comes from a page
    /// of <paramref name="origin"/> when given, with more request <paramref name="headers"/> (<c>X-Forwarded-For</c>),
    /// and over <c>wss://</c> trusting exactly <paramref name="trusted"/>.
    /// </summary>
    /// <exception cref="HandshakeRefusedException">The server refused the handshake with an HTTP status.</exception>
    public static async Task<RawClient> ConnectWebSocketFromAsync(Uri uri, IPAddress? from, string? origin = null, bool startReading = true,
        IReadOnlyDictionary<string, string>? headers = null, X509Certificate2? trusted = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            socket.Options.SetRequestHeader(name, value);
        }
        // kept for the WebSocket's life: its connection came from this handler
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    if (from is not null)
                    {
                        tcp.Bind(new IPEndPoint(from, 0));
                    }
                    await tcp.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(tcp, ownsSocket: true);
                }
                catch
                {
                    tcp.Dispose();
                    throw;
                }
            },
        };
        if (trusted is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => Trusts(trusted, certificate);
        }
        var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        try
        {
            await socket.ConnectAsync(uri, invoker, CancellationToken.None).WaitAsync(Waits.Frame);
        }
        catch (WebSocketException e) when (socket.HttpStatusCode != 0)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            throw new HandshakeRefusedException(status, e);
        }
        return new RawClient(socket, startReading);
    }

    /// <summary>Sends a frame object as JSON.</summary>
    public Task SendAsync(object frame) => SendRawAsync(FrameCodec.ToJson(frame));

    /// <summary>Sends one frame's text exactly as given (TCP adds the newline).</summary>
    public async Task SendRawAsync(string json)
    {
        if (_webSocket is not null)
        {
            await _webSocket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Waits.Frame);
        }
        else
        {
            await WriteTcpAsync(Encoding.UTF8.GetBytes(json + "\n"));
        }
    }

    /// <summary>TCP only: writes bytes exactly as given, no newline added.</summary>
    public Task WriteTcpAsync(byte[] bytes) =>
        _stream is null ? throw new InvalidOperationException("Raw bytes are for TCP.") : _stream.WriteAsync(bytes).AsTask().WaitAsync(Waits.Long);

    /// <summary>WebSocket only: sends a binary message.</summary>
    public Task SendBinaryAsync(byte[] bytes) =>
        _webSocket is null ? throw new InvalidOperationException("Binary messages are for WebSocket.")
            : _webSocket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(Waits.Frame);

    /// <summary>
    /// WebSocket only: sends one message of <paramref name="type"/> in pieces, cut at <paramref name="cuts"/>
    /// (offsets into the message, in order): a fragmented message, as a client may send one.
    /// </summary>
    public async Task SendWebSocketMessageAsync(byte[] message, WebSocketMessageType type, IReadOnlyList<int> cuts)
    {
        if (_webSocket is null)
        {
            throw new InvalidOperationException("Messages are for WebSocket.");
        }
        var start = 0;
        foreach (var end in cuts.Append(message.Length))
        {
            await _webSocket.SendAsync(message.AsMemory(start, end - start), type, end == message.Length, CancellationToken.None).AsTask().WaitAsync(Waits.Frame);
            start = end;
        }
    }

    /// <summary>
    /// Reads frames until one matches <paramref name="last"/> or the server closes the connection; returns
    /// them all (the match included) and whether the connection closed. Fails the test if neither comes in time.
    /// </summary>
    public async Task<(List<JsonElement> Frames, bool Closed)> ReadUntilAsync(Func<JsonElement, bool> last, TimeSpan? timeout = null)
    {
        var frames = new List<JsonElement>();
        using var deadline = new CancellationTokenSource(timeout ?? Waits.Frame);
        try
        {
            await foreach (var frame in _frames.Reader.ReadAllAsync(deadline.Token))
            {
                frames.Add(frame);
                if (last(frame))
                {
                    return (frames, false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException(
                $"Neither the awaited frame nor the end of the connection came within {timeout ?? Waits.Frame}; frames: {string.Join(" ", frames.Select(f => f.GetRawText()))}");
        }
        return (frames, true);
    }

    /// <summary>The next frame the server sent; fails the test if none comes in time or the connection closed.</summary>
    public async Task<JsonElement> NextAsync(TimeSpan? timeout = null)
    {
        try
        {
            return await _frames.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? Waits.Frame);
        }
        catch (ChannelClosedException)
        {
            throw new Xunit.Sdk.XunitException("The server closed the connection while a frame was awaited.");
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"No frame arrived within {timeout ?? Waits.Frame}.");
        }
    }

    /// <summary>Reads frames until one matches, returning it; the frames skipped are returned too.</summary>
    public async Task<(JsonElement Match, List<JsonElement> Skipped)> WaitForAsync(Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        var skipped = new List<JsonElement>();
        using var deadline = new CancellationTokenSource(timeout ?? Waits.Frame);
        while (true)
        {
            JsonElement frame;
            try
            {
                frame = await _frames.Reader.ReadAsync(deadline.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
                throw new Xunit.Sdk.XunitException(
                    $"The awaited frame never came ({(e is ChannelClosedException ? "connection closed" : "timed out")}); got: {string.Join(" ", skipped.Select(f => f.GetRawText()))}");
            }
            if (match(frame))
            {
                return (frame, skipped);
            }
            skipped.Add(frame);
        }
    }

    /// <summary>The next frame of a type with an id (a reply), skipping presence and messages.</summary>
    public async Task<JsonElement> ReplyAsync(string id, TimeSpan? timeout = null) =>
        (await WaitForAsync(f => f.Id() == id, timeout)).Match;

    /// <summary>Waits until the server closes the connection; returns the frames that came before.</summary>
    public async Task<List<JsonElement>> ClosedAsync(TimeSpan? timeout = null)
    {
        var frames = new List<JsonElement>();
        using var deadline = new CancellationTokenSource(timeout ?? Waits.Frame);
        try
        {
            await foreach (var frame in _frames.Reader.ReadAllAsync(deadline.Token))
            {
                frames.Add(frame);
            }
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"The connection stayed open; frames: {string.Join(" ", frames.Select(f => f.GetRawText()))}");
        }
        return frames;
    }

    /// <summary>Asserts that nothing arrives (used after the event that would have caused it is known to be past).</summary>
    public bool TryTakeQueued(out JsonElement frame) => _frames.Reader.TryRead(out frame);

    private async Task ReadTcpAsync()
    {
        var buffer = new byte[64 * 1024];
        var pending = new MemoryStream();
        try
        {
            while (true)
            {
                var read = await _stream!.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }
                var start = 0;
                for (var i = 0; i < read; i++)
                {
                    if (buffer[i] != (byte)'\n')
                    {
                        continue;
                    }
                    pending.Write(buffer, start, i - start);
                    Publish(pending.ToArray());
                    pending.SetLength(0);
                    start = i + 1;
                }
                pending.Write(buffer, start, read - start);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            // the connection ended
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    private async Task ReadWebSocketAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _webSocket!.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    Publish(message.ToArray());
                    message.SetLength(0);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // the connection ended
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    private void Publish(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        _frames.Writer.TryWrite(document.RootElement.Clone());
    }

    /// <summary>Closes the connection abruptly, as a client that vanishes.</summary>
    public void Abort()
    {
        _webSocket?.Abort();
        _tcp?.Client.Close(0);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // a test may close a client before its `await using` does
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _stop.Cancel();
        _webSocket?.Abort();
        _webSocket?.Dispose();
        _tcp?.Dispose();
        await _readLoop.WaitAsync(Waits.Frame).ConfigureAwait(false);
        _stop.Dispose();
    }
}

/// <summary>A WebSocket handshake the server answered with an HTTP status instead of 101.</summary>
public sealed class HandshakeRefusedException(System.Net.HttpStatusCode status, Exception inner)
    : Exception($"The server refused the WebSocket handshake with HTTP {(int)status}.", inner)
{
    /// <summary>The server's answer.</summary>
    public System.Net.HttpStatusCode Status { get; } = status;
}
