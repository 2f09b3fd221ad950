using System.Net;

namespace Parley.Server.Hosting;

/// <summary>Reads <c>HOST:PORT</c> as given to <c>--tcp</c> and <c>--http</c>.</summary>
public static class EndpointParser
{
    /// <summary>Parses an IPv4, bracketed IPv6 or <c>localhost</c> endpoint; port 0 picks a free port.</summary>
    public static bool TryParse(string? text, out IPEndPoint endpoint)
    {
        endpoint = new IPEndPoint(IPAddress.Loopback, 0);
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var colon = text.LastIndexOf(':');
        if (colon > 0 && text[..colon].Equals("localhost", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(text[(colon + 1)..], out var port) && port is >= 0 and <= 65535)
        {
            endpoint = new IPEndPoint(IPAddress.Loopback, port);
            return true;
        }
        if (IPEndPoint.TryParse(text, out var parsed) && colon > 0 && !text.EndsWith(']'))
        {
            endpoint = parsed;
            return true;
        }
        return false;
    }
}
