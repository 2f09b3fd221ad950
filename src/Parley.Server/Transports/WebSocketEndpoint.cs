using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Parley.Server.Core;

namespace Parley.Server.Transports;

/// <summary>The WebSocket adapter at <c>/ws</c>: one frame per text message.</summary>
/// <remarks>
/// Every WebSocket client comes through Kestrel's HTTP pipeline and its WebSocket middleware, so that
/// what applies to HTTP (TLS, origin checks, limits, forwarded headers, metrics) applies to it too.
/// </remarks>
internal static class WebSocketEndpoint
{
    private const int InitialBufferBytes = 4096;

    /// <summary>Kestrel's route at <c>/ws</c>.</summary>
    public static async Task HandleAsync(HttpContext http, ChatServer server)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync("Parley speaks WebSocket here: connect with a WebSocket client.");
            return;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var remoteIp = http.Connection.RemoteIpAddress;
        var remote = remoteIp is not null ? $"{remoteIp}:{http.Connection.RemotePort}" : "?";
        var gathering = (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpUpgradeFeature>() as GatheringUpgrade)?.Stream;
        // run here rather than in a method of its own: every async frame on an idle client's stack is memory it holds
        var connection = new WebSocketClientConnection(socket, remote, remoteIp, gathering);
        var session = server.Open(connection);
        try
        {
            await ReadLoopAsync(socket, connection, session, server.Options.MaxFrameBytes);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // the client left, or the session closed the connection
        }
        finally
        {
            await server.CloseAsync(session);
        }
    }

    private static async Task ReadLoopAsync(WebSocket socket, WebSocketClientConnection connection, ClientSession session, int maxFrameBytes)
    {
        while (!connection.IsClosing)
        {
            // an idle connection holds no buffer: wait with a zero-byte read, rent only once a message starts.
            // No token: cancelling a WebSocket's receive aborts it, and a closing session's final frame
            // (server_shutdown, slow_consumer) must still go out; the close handshake ends this receive
            // (WebSocketClientConnection.CloseTransportAsync)
            var first = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
            if (first.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
            if (first.EndOfMessage)
            {
                await ReceiveMessageAsync(session, first.MessageType, ReadOnlySequence<byte>.Empty);
                continue;
            }
            var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
            try
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        buffer = PooledBuffer.Grow(buffer, length, maxFrameBytes + 1);
                    }
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                    length += result.Count;
                    if (length > maxFrameBytes)
                    {
                        connection.CloseStatus = WebSocketCloseStatus.MessageTooBig;
                        session.RejectTooLarge();
                        return;
                    }
                }
                while (!result.EndOfMessage);

                await ReceiveMessageAsync(session, result.MessageType, new ReadOnlySequence<byte>(buffer, 0, length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static ValueTask ReceiveMessageAsync(ClientSession session, WebSocketMessageType type, ReadOnlySequence<byte> message)
    {
        if (type == WebSocketMessageType.Binary)
        {
            session.RejectUnreadable("Frames are JSON text messages; a binary message cannot be read.");
            return ValueTask.CompletedTask;
        }
        return session.ReceiveAsync(message);
    }
}
