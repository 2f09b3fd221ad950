using System.Net;
using System.Net.Sockets;
using Parley.Server.Core;

namespace Parley.Server.Transports;

/// <summary>
/// The TCP adapter: reads lines off the socket (<see cref="LineReadLoop"/>) and hands each to the
/// session. Thin on purpose: everything about the protocol is in the core.
/// </summary>
internal static class TcpConnectionHandler
{
    /// <summary>
    /// Runs one connection until the client leaves or the session closes it, then closes the socket.
    /// <paramref name="client"/> is the client's endpoint: the socket's peer, or the one a trusted proxy gave.
    /// </summary>
    public static async Task HandleAsync(Socket socket, IPEndPoint? client, ChatServer server)
    {
        using (socket)
        {
            await LineReadLoop.ServeAsync(new SocketBytes(socket), new TcpClientConnection(socket, client), server).ConfigureAwait(false);
        }
    }

    // the socket itself, no stream: an idle connection holds nothing more than its socket
    private readonly struct SocketBytes(Socket socket) : IByteSource
    {
        public ValueTask<int> ReceiveAsync(Memory<byte> buffer) => socket.ReceiveAsync(buffer, SocketFlags.None);
    }
}
