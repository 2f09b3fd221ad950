using System.Net;

namespace Parley.Server.Hosting;

/// <summary>Whether an endpoint's traffic could be read on the way: it is plain and other machines can reach it.</summary>
internal static class PlainExposure
{
    /// <summary>
    /// True for an endpoint without TLS on any address but loopback (<c>0.0.0.0</c>, <c>::</c>, a LAN
    /// address): its passwords and tokens would cross the network in the clear.
    /// </summary>
    public static bool IsExposed(IPEndPoint endpoint, bool tls)
    {
        var address = endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
        return !tls && !IPAddress.IsLoopback(address);
    }
}
