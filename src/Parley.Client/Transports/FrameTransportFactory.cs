using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;

namespace Parley.Client.Transports;

/// <summary>Opens the transport that a server address names: <c>tcp://</c>, <c>tls://</c>, <c>ws://</c> or <c>wss://</c>.</summary>
internal static class FrameTransportFactory
{
    /// <exception cref="ParleyException"><see cref="ClientErrorCodes.Unreachable"/> when no connection could be made.</exception>
    public static async Task<IFrameTransport> ConnectAsync(
        ParleyClientOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var server = options.Server;
        using var timer = new CancellationTokenSource(options.RequestTimeout, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            return server.Scheme is "tcp" or "tls"
                ? await TcpFrameTransport.ConnectAsync(server, options.MaxFrameBytes, options.TrustedCertificate, timeout.Token).ConfigureAwait(false)
                : await WebSocketFrameTransport.ConnectAsync(server, options.MaxFrameBytes, options.TrustedCertificate, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ParleyException(ClientErrorCodes.Unreachable,
                $"Could not reach the Parley server at {server} within {options.RequestTimeout.TotalSeconds:0.#} s.", null, e);
        }
        catch (Exception e) when (TlsFailure(e) is { } tls)
        {
            // the certificate is not trusted, or no TLS was spoken: a reconnect may meet a renewed one
            throw new ParleyException(ClientErrorCodes.Unreachable,
                $"The TLS handshake with the Parley server at {server} failed: {tls.Message}", null, tls);
        }
        catch (Exception e) when (e is SocketException or WebSocketException or IOException or HttpRequestException)
        {
            throw new ParleyException(ClientErrorCodes.Unreachable, $"Could not reach the Parley server at {server}: {e.Message}", null, e);
        }
    }

    // the handshake's failure, however deep the WebSocket's wrapping put it
    private static AuthenticationException? TlsFailure(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is AuthenticationException tls)
            {
                return tls;
            }
        }
        return null;
    }
}
