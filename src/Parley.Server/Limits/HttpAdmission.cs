using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Parley.Server.Limits;

/// <summary>
/// Where the <see cref="ConnectionGate"/> stands on the HTTP endpoint: around every connection Kestrel takes,
/// whose requests (a WebSocket's handshake too) are then answered 429 when the connection was not admitted.
/// A trusted proxy's connections carry many clients: there each WebSocket is admitted by the address its
/// <c>X-Forwarded-For</c> gives, for as long as it lasts.
/// </summary>
internal static class HttpAdmission
{
    private const string RefusedItem = "parley.refused";
    private const string ProxiedItem = "parley.proxied";
    private const string Refusal = "Too many connections from your address, or opened too fast. Wait, and try again.\n";

    /// <summary>Kestrel's connection middleware for the HTTP endpoint: counts every connection with the gate, but a trusted proxy's.</summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> ForConnections(ConnectionGate gate, TrustedProxies proxies) => next => async connection =>
    {
        var address = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (proxies.Trusts(address))
        {
            connection.Items[ProxiedItem] = true;
            await next(connection).ConfigureAwait(false);
            return;
        }
        using var admission = gate.Admit(address);
        if (!admission.IsAdmitted)
        {
            connection.Items[RefusedItem] = true;
        }
        await next(connection).ConfigureAwait(false);
    };

    /// <summary>The first step of the HTTP pipeline: a request on a connection the gate refused gets 429, and the connection closes.</summary>
    public static Task RefuseIfNotAdmitted(HttpContext http, RequestDelegate next)
    {
        if (!HasItem(http, RefusedItem))
        {
            return next(http);
        }
        return RefuseAsync(http);
    }

    /// <summary>
    /// Before a WebSocket's handshake: through a trusted proxy, the WebSocket counts against the client's address
    /// (the forwarded headers have set it by now) until it closes, and is refused with 429 past the limit.
    /// </summary>
    public static Func<HttpContext, RequestDelegate, Task> ForProxiedWebSockets(ConnectionGate gate) => (http, next) =>
        // a direct client was counted with its connection: no frame of this step stays on its stack for the WebSocket's life
        HasItem(http, ProxiedItem) ? AdmitProxiedAsync(http, next, gate) : next(http);

    private static async Task AdmitProxiedAsync(HttpContext http, RequestDelegate next, ConnectionGate gate)
    {
        using var admission = gate.Admit(http.Connection.RemoteIpAddress);
        if (!admission.IsAdmitted)
        {
            await RefuseAsync(http).ConfigureAwait(false);
            return;
        }
        await next(http).ConfigureAwait(false);
    }

    private static bool HasItem(HttpContext http, string item) =>
        http.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(item) == true;

    private static Task RefuseAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.Connection = "close";
        return http.Response.WriteAsync(Refusal);
    }
}
