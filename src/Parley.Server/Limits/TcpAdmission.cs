using System.Net;
using System.Net.Sockets;
using System.Text;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Server.Transports;

namespace Parley.Server.Limits;

/// <summary>
/// Where the <see cref="ConnectionGate"/> stands on the TCP endpoint: before a connection is served, by the
/// client's address, which a trusted proxy gives in the PROXY protocol header it sends first.
/// </summary>
internal sealed class TcpAdmission(ConnectionGate gate, TrustedProxies proxies, RefusalLog refusals, TimeSpan proxyHeaderTimeout, bool plainText)
{
    private static readonly byte[] Refusal = Encoding.UTF8.GetBytes(FrameCodec.ToJson(new ErrorFrame
    {
        Code = ErrorCodes.TooManyConnections,
        Message = "Too many connections from your address, or opened too fast. Close some, wait, and try again.",
    }) + "\n");

    /// <summary>
    /// Serves a connection the gate admits, with the client's endpoint; one it refuses is told so in one line and
    /// closed (over TLS only closed: a refusal must not cost a handshake). A trusted proxy's connection without a
    /// valid header in time is closed.
    /// </summary>
    public async Task ServeAsync(Socket socket, Func<Socket, IPEndPoint?, Task> serve)
    {
        var client = socket.RemoteEndPoint as IPEndPoint;
        if (client is not null && proxies.Trusts(client.Address))
        {
            client = await ReadProxyHeaderAsync(socket, client).ConfigureAwait(false);
            if (client is null)
            {
                socket.Dispose();
                return;
            }
        }
        using var admission = gate.Admit(client?.Address);
        if (admission.IsAdmitted)
        {
            await serve(socket, client).ConfigureAwait(false);
            return;
        }
        using (socket)
        {
            try
            {
                // one small line: the socket takes it at once, or the client is not worth waiting for
                if (plainText)
                {
                    socket.Blocking = false;
                    socket.Send(Refusal, SocketFlags.None, out _);
                }
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // gone already
            }
        }
    }

    // null when the proxy sent no valid header in time: counted and logged, once a minute, as a proxy that is set up wrong
    private async Task<IPEndPoint?> ReadProxyHeaderAsync(Socket socket, IPEndPoint proxy)
    {
        using var timeout = new CancellationTokenSource(proxyHeaderTimeout);
        try
        {
            return await ProxyProtocol.ReadClientAsync(socket, proxy, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            refusals.Refused(AddressKey.Of(proxy.Address), RefusalReasons.ProxyHeader);
            return null;
        }
    }
}
