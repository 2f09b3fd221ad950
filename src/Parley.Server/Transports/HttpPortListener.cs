using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Parley.Server.Core;

namespace Parley.Server.Transports;

/// <summary>
/// Kestrel's transport for the HTTP endpoint, on sockets Parley accepts itself. A connection whose
/// first request is a WebSocket handshake for <c>/ws</c> is served here, on its socket alone; every
/// other connection goes to Kestrel as its own socket transport would give it.
/// </summary>
/// <remarks>
/// An idle WebSocket served inside Kestrel keeps its HTTP/1.1 connection: request and response
/// objects, headers, two pipes and a send and a receive loop, 13.6 KiB of live heap
/// (docs/benchmarks-method.md). Served here it holds its socket, the WebSocket and its session.
/// The request is looked at without being read (<see cref="SocketFlags.Peek"/>), so a connection
/// that is not a handshake reaches Kestrel with every byte it sent.
/// </remarks>
internal sealed class HttpPortListener : IConnectionListener
{
    private readonly Channel<ConnectionContext> _forKestrel = Channel.CreateUnbounded<ConnectionContext>();
    private readonly SocketConnectionContextFactory _contexts;
    private readonly ChatServer _server;
    private readonly WebSocketCreationOptions _webSocketOptions;
    private readonly TimeSpan _firstBytesPatience;
    private readonly SocketAcceptor _acceptor;
    // cancelled at a stop: connections still silent go to Kestrel at once, new ones without a look
    private readonly CancellationTokenSource _stopSorting = new();

    /// <param name="server">The core the WebSocket clients served here talk to.</param>
    /// <param name="webSocketOptions">How those WebSockets are run (keep-alive).</param>
    /// <param name="firstBytesPatience">How long a new connection may say nothing before Kestrel takes it, with its own timeouts.</param>
    /// <param name="loggerFactory">For the acceptor and Kestrel's connections.</param>
    public HttpPortListener(ChatServer server, WebSocketCreationOptions webSocketOptions, TimeSpan firstBytesPatience, ILoggerFactory loggerFactory)
    {
        _server = server;
        _webSocketOptions = webSocketOptions;
        _firstBytesPatience = firstBytesPatience;
        // Kestrel's connections log under Kestrel's own category, which the host filters
        _contexts = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions(), loggerFactory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets"));
        _acceptor = new SocketAcceptor(SortAsync, loggerFactory.CreateLogger<SocketAcceptor>());
    }

    /// <inheritdoc />
    public EndPoint EndPoint => _acceptor.LocalEndPoint;

    /// <summary>Binds <paramref name="endpoint"/> and listens; connections wait until <see cref="StartAccepting"/>.</summary>
    /// <exception cref="SocketException">The address cannot be bound (for instance, it is taken).</exception>
    public void Bind(IPEndPoint endpoint) => _acceptor.Bind(endpoint);

    /// <summary>Starts accepting on the bound endpoint.</summary>
    public void StartAccepting() => _acceptor.StartAccepting();

    /// <summary>
    /// At a stop: gives every connection from now on to Kestrel, waits up to <paramref name="grace"/>
    /// for the WebSocket clients served here to leave (the core has told them already), and cuts off
    /// the ones left. Accepting goes on, so that a health check during the grace is answered (503),
    /// until Kestrel unbinds.
    /// </summary>
    public Task CutOffWebSocketsAsync(TimeSpan grace)
    {
        _stopSorting.Cancel();
        return _acceptor.CutOffAsync(grace);
    }

    /// <inheritdoc />
    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            while (await _forKestrel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (_forKestrel.Reader.TryRead(out var connection))
                {
                    return connection;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Kestrel is unbinding
        }
        return null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Only stops accepting: at a stop the WebSocket sessions are still being told, and the host
    /// cuts off the ones left after the grace (<see cref="CutOffWebSocketsAsync"/>).
    /// </remarks>
    public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _forKestrel.Writer.TryComplete();
        await _acceptor.StopAcceptingAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await UnbindAsync().ConfigureAwait(false);
        // connections sorted for Kestrel after it stopped taking them
        while (_forKestrel.Reader.TryRead(out var connection))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        // _stopSorting stays: the host may still cut off after Kestrel disposed this (it has no timer to free)
        _contexts.Dispose();
    }

    // owns the socket: serves it as a WebSocket, or gives it to Kestrel
    private async Task SortAsync(Socket socket)
    {
        string? key = null;
        if (!_stopSorting.IsCancellationRequested)
        {
            try
            {
                key = await TryTakeHandshakeAsync(socket).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // the client reset, or the connection was cut off at shutdown
                socket.Dispose();
                return;
            }
        }
        if (key is not null)
        {
            await ServeWebSocketAsync(socket, key).ConfigureAwait(false);
            return;
        }
        await HandToKestrelAsync(socket).ConfigureAwait(false);
    }

    private async Task HandToKestrelAsync(Socket socket)
    {
        ConnectionContext connection;
        try
        {
            connection = _contexts.Create(socket);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // gone, or cut off at shutdown, in between
            socket.Dispose();
            return;
        }
        if (!_forKestrel.Writer.TryWrite(connection))
        {
            // Kestrel has stopped taking connections
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    // the client's key once a whole handshake for /ws was the first thing sent (and is now read);
    // null when Kestrel is to have the connection, with every byte still unread
    private async Task<string?> TryTakeHandshakeAsync(Socket socket)
    {
        using (var patience = CancellationTokenSource.CreateLinkedTokenSource(_stopSorting.Token))
        {
            patience.CancelAfter(_firstBytesPatience);
            try
            {
                // an idle connection holds no buffer while it waits
                await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, patience.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
        var buffer = ArrayPool<byte>.Shared.Rent(WebSocketHandshake.MaxHeadBytes);
        try
        {
            var peeked = await socket.ReceiveAsync(buffer.AsMemory(0, WebSocketHandshake.MaxHeadBytes), SocketFlags.Peek).ConfigureAwait(false);
            if (!WebSocketHandshake.TryRead(buffer.AsSpan(0, peeked), out var headLength, out var key))
            {
                return null;
            }
            // the head is in the socket's buffer already: take exactly it, and leave what follows
            var taken = 0;
            while (taken < headLength)
            {
                var count = await socket.ReceiveAsync(buffer.AsMemory(taken, headLength - taken), SocketFlags.None).ConfigureAwait(false);
                if (count == 0)
                {
                    // gone with half its head read: nothing for Kestrel to serve either
                    throw new SocketException((int)SocketError.ConnectionReset);
                }
                taken += count;
            }
            return key;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // the socket is the stream's, and closed with it
    private async Task ServeWebSocketAsync(Socket socket, string key)
    {
        var stream = new GatheringSocketStream(socket);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                await stream.WriteAsync(WebSocketHandshake.Response(key)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                return; // gone before the answer, or cut off at shutdown
            }
            using var webSocket = WebSocket.CreateFromStream(stream, _webSocketOptions);
            await WebSocketEndpoint.RunAsync(webSocket, socket.RemoteAddress(), _server, stream).ConfigureAwait(false);
        }
    }
}
