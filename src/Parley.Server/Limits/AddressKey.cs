using System.Net;
using System.Net.Sockets;

namespace Parley.Server.Limits;

/// <summary>What counts as one address for the limits: an IPv4 address, or an IPv6 /64 (one household's or one host's whole range).</summary>
public static class AddressKey
{
    /// <summary>The key of <paramref name="address"/>; unknown addresses (a Unix socket, a test) share one.</summary>
    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            return "?";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}
