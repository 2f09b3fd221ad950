using System.Net;
using System.Net.Sockets;

namespace Parley.Server.Transports;

/// <summary>Listening sockets for both endpoints, made one way.</summary>
internal static class ListeningSockets
{
    /// <summary>As Kestrel's default: how many connections may wait to be accepted.</summary>
    public const int Backlog = 512;

    /// <summary>Binds <paramref name="endpoint"/> and listens: clients can connect, and wait in the backlog until accepted.</summary>
    /// <exception cref="SocketException">The address cannot be bound (for instance, it is taken).</exception>
    public static Socket Listen(IPEndPoint endpoint)
    {
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                listener.DualMode = true;
            }
            // no ReuseAddress: on Linux .NET sets SO_REUSEPORT with it, and a second server could bind
            // the same port and take half the clients. A restart still binds while the last run's
            // connections linger in TIME_WAIT: .NET's bind sets SO_REUSEADDR on TCP sockets itself
            listener.Bind(endpoint);
            listener.Listen(Backlog);
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }
}
