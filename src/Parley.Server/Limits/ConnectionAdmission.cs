using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Parley.Protocol;
using Parley.Protocol.Frames;

namespace Parley.Server.Limits;

/// <summary>
/// Where the <see cref="ConnectionGate"/> stands on each endpoint: before a TCP connection is served, and
/// around every connection Kestrel takes on the HTTP endpoint, whose requests (a WebSocket's handshake too)
/// are then answered 429 when the connection was not admitted.
/// </summary>
internal static class ConnectionAdmission
{
    private const string RefusedItem = "parley.refused";

    private static readonly byte[] TcpRefusal = Encoding.UTF8.GetBytes(FrameCodec.ToJson(new ErrorFrame
    {
        Code = ErrorCodes.TooManyConnections,
        Message = "Too many connections from your address, or opened too fast. Close some, wait, and try again.",
    }) + "\n");

    /// <summary>
    /// Serves a TCP connection the gate admits; one it refuses is told so in one line and closed (over TLS only
    /// closed: a refusal must not cost a handshake).
    /// </summary>
    public static async Task ServeTcpAsync(Socket socket, ConnectionGate gate, bool plainText, Func<Socket, Task> serve)
    {
        using var admission = gate.Admit((socket.RemoteEndPoint as IPEndPoint)?.Address);
        if (admission.IsAdmitted)
        {
            await serve(socket).ConfigureAwait(false);
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
                    socket.Send(TcpRefusal, SocketFlags.None, out _);
                }
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // gone already
            }
        }
    }

    /// <summary>Kestrel's connection middleware for the HTTP endpoint: counts every connection with the gate.</summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> ForHttp(ConnectionGate gate) => next => async connection =>
    {
        using var admission = gate.Admit((connection.RemoteEndPoint as IPEndPoint)?.Address);
        if (!admission.IsAdmitted)
        {
            connection.Items[RefusedItem] = true;
        }
        await next(connection).ConfigureAwait(false);
    };

    /// <summary>The first step of the HTTP pipeline: a request on a connection the gate refused gets 429, and the connection closes.</summary>
    public static Task RefuseIfNotAdmitted(HttpContext http, RequestDelegate next)
    {
        if (http.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(RefusedItem) != true)
        {
            return next(http);
        }
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.Connection = "close";
        return http.Response.WriteAsync("Too many connections from your address, or opened too fast. Wait, and try again.\n");
    }
}
