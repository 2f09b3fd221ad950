using Microsoft.AspNetCore.Connections;
using Parley.Protocol;
using Parley.Server.Core;

namespace Parley.Server.Transports;

/// <summary>
/// The TCP adapter: splits the byte stream into lines and hands each to the session. Thin on
/// purpose: everything about the protocol is in the core.
/// </summary>
internal sealed class TcpConnectionHandler(ChatServer server) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext context)
    {
        var connection = new TcpClientConnection(context);
        var session = server.Open(connection);
        var input = context.Transport.Input;
        var maxFrameBytes = server.Options.MaxFrameBytes;
        try
        {
            while (!connection.IsClosing)
            {
                // no token: a close cancels the pending read (TcpClientConnection.StopReading), and
                // ConnectionClosed would fire on the client's FIN before its last lines are read
                var result = await input.ReadAsync();
                var buffer = result.Buffer;
                var tooLarge = false;
                while (!connection.IsClosing)
                {
                    var status = LineFramer.TryReadFrame(ref buffer, maxFrameBytes, out var frame);
                    if (status == LineFrameStatus.NeedMore)
                    {
                        break;
                    }
                    if (status == LineFrameStatus.TooLarge)
                    {
                        session.RejectTooLarge();
                        tooLarge = true;
                        break;
                    }
                    await session.ReceiveAsync(frame);
                }
                input.AdvanceTo(buffer.Start, buffer.End);
                if (tooLarge || result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ConnectionResetException or IOException)
        {
            // the client left, or the session closed the connection
        }
        finally
        {
            await server.CloseAsync(session);
        }
    }
}
