using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace Parley.Server.Limits;

/// <summary>
/// The proxies whose word on a client's address is taken (<c>Parley:TrustedProxies</c>): <c>X-Forwarded-For</c>
/// on the HTTP endpoint, the PROXY protocol header on the TCP endpoint. Anyone else saying so is not believed,
/// or one address could pass for many and slip past every limit.
/// </summary>
public sealed class TrustedProxies
{
    private readonly IPNetwork[] _networks;

    /// <summary>Trusts the given addresses (<c>10.0.0.5</c>) and networks (<c>10.0.0.0/24</c>); none when empty.</summary>
    /// <exception cref="FormatException">An entry is neither.</exception>
    public TrustedProxies(IEnumerable<string> entries) =>
        _networks = [.. entries.Select(entry => TryParse(entry, out var network) ? network : throw new FormatException($"Not an address or a network: {entry}"))];

    /// <summary>True when no proxy is trusted, the default.</summary>
    public bool IsEmpty => _networks.Length == 0;

    /// <summary>Whether <paramref name="entry"/> is an address or a network (CIDR).</summary>
    public static bool TryParse(string entry, out IPNetwork network)
    {
        if (IPAddress.TryParse(entry, out var address) && !entry.Contains('/', StringComparison.Ordinal))
        {
            address = Plain(address);
            network = new IPNetwork(address, address.GetAddressBytes().Length * 8);
            return true;
        }
        return IPNetwork.TryParse(entry, out network);
    }

    /// <summary>Whether a connection from <paramref name="address"/> comes from a trusted proxy.</summary>
    public bool Trusts(IPAddress? address)
    {
        if (address is null || _networks.Length == 0)
        {
            return false;
        }
        address = Plain(address);
        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The framework's forwarded-headers options for these proxies: <c>X-Forwarded-For</c> and <c>-Proto</c>, from
    /// them only (the framework trusts loopback by default, which these replace), through a chain of them.
    /// </summary>
    public ForwardedHeadersOptions ForwardedHeadersOptions()
    {
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // each hop is checked against the list, so a client's own X-Forwarded-For entries stop the walk
            ForwardLimit = null,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var network in _networks)
        {
            options.KnownIPNetworks.Add(network);
        }
        return options;
    }

    // a dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d
    private static IPAddress Plain(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
