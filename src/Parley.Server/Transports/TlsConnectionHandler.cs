using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Parley.Server.Core;
using Parley.Server.Diagnostics;

namespace Parley.Server.Transports;

/// <summary>
/// The TCP endpoint with TLS: the handshake first, bounded by <paramref name="handshakeTimeout"/>, then
/// lines inside TLS, read by the same loop as plain TCP. A client that fails the handshake (plain text,
/// TLS 1.1, silence) is closed and logged at Debug: a port open to the Internet hears such clients all day.
/// </summary>
internal sealed partial class TlsConnectionHandler(ChatServer server, TlsCertificate certificate, TimeSpan handshakeTimeout, ILogger<TlsConnectionHandler> logger)
{
    /// <summary>
    /// Runs one connection until the client leaves or the session closes it, then closes the socket.
    /// <paramref name="client"/> is the client's endpoint: the socket's peer, or the one a trusted proxy gave.
    /// </summary>
    public async Task HandleAsync(Socket socket, IPEndPoint? client)
    {
        using (socket)
        {
            var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
            await using (tls.ConfigureAwait(false))
            {
                if (!await HandshakeAsync(client, tls).ConfigureAwait(false))
                {
                    return;
                }
                await LineReadLoop.ServeAsync(new StreamBytes(tls), new TlsClientConnection(socket, client, tls), server).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> HandshakeAsync(IPEndPoint? client, SslStream tls)
    {
        using var timeout = new CancellationTokenSource(handshakeTimeout);
        try
        {
            await tls.AuthenticateAsServerAsync(ServerTlsOptions.For(certificate), timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            LogHandshakeFailed(client?.ToString() ?? "?", timeout.IsCancellationRequested ? $"no handshake within {handshakeTimeout.TotalSeconds:0.#} s" : e.Message);
            return false;
        }
    }

    private readonly struct StreamBytes(SslStream tls) : IByteSource
    {
        public ValueTask<int> ReceiveAsync(Memory<byte> buffer) => tls.ReadAsync(buffer);
    }

    [LoggerMessage(EventId = ParleyEventIds.TlsHandshakeFailed, Level = LogLevel.Debug, Message = "A client at {Address} did not complete the TLS handshake: {Reason}")]
    private partial void LogHandshakeFailed(string address, string reason);
}
