using System.Net.Sockets;

namespace Parley.Server.Transports;

/// <summary>How a client's socket is named in logs.</summary>
internal static class SocketAddresses
{
    /// <summary>The peer's address and port, or <c>?</c> once the socket is gone.</summary>
    public static string RemoteAddress(this Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint?.ToString() ?? "?";
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return "?";
        }
    }
}
