using System.Buffers;
using System.Net.Sockets;
using Parley.Protocol;
using Parley.Server.Core;

namespace Parley.Server.Transports;

/// <summary>
/// The TCP adapter: splits the byte stream into lines and hands each to the session. Thin on
/// purpose: everything about the protocol is in the core.
/// </summary>
/// <remarks>
/// An idle connection holds no buffer: the loop waits with a zero-byte receive and rents a buffer
/// only once bytes have arrived, returning it as soon as no partial line is left in it.
/// </remarks>
internal static class TcpConnectionHandler
{
    private const int InitialBufferBytes = 4096;

    /// <summary>Runs one connection until the client leaves or the session closes it, then closes the socket.</summary>
    public static async Task HandleAsync(Socket socket, ChatServer server)
    {
        using (socket)
        {
            var connection = new TcpClientConnection(socket);
            var session = server.Open(connection);
            try
            {
                await ReadLoopAsync(socket, connection, session, server.Options.MaxFrameBytes).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
            {
                // the client left, or the connection was cut off at shutdown
            }
            finally
            {
                await server.CloseAsync(session).ConfigureAwait(false);
            }
        }
    }

    private static async Task ReadLoopAsync(Socket socket, ClientConnection connection, ClientSession session, int maxFrameBytes)
    {
        // the largest line that can still be refused by its length: the frame's bytes and "\r\n"
        var largestBuffer = maxFrameBytes + 2;
        byte[]? buffer = null;
        // the unread bytes are buffer[start..end)
        var start = 0;
        var end = 0;
        try
        {
            while (!connection.IsClosing)
            {
                if (start == end)
                {
                    // nothing pending: wait for the client without a buffer (at once if bytes are there)
                    if (buffer is not null)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = null;
                    }
                    await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                    buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
                    start = end = 0;
                }
                else if (end == buffer!.Length)
                {
                    // a partial line fills the buffer: move it to the front, or make room for a longer one
                    if (start > 0)
                    {
                        buffer.AsSpan(start, end - start).CopyTo(buffer);
                    }
                    else
                    {
                        buffer = PooledBuffer.Grow(buffer, end, largestBuffer);
                    }
                    end -= start;
                    start = 0;
                }

                var space = buffer.Length - end;
                // no token: a close shuts the socket's receive side (TcpClientConnection.StopReading),
                // which ends this receive with 0 bytes
                var count = await socket.ReceiveAsync(buffer.AsMemory(end, space), SocketFlags.None).ConfigureAwait(false);
                if (count == 0)
                {
                    return; // the client closed its side, or the session closed the connection
                }
                end += count;

                var pending = new ReadOnlySequence<byte>(buffer, start, end - start);
                while (!connection.IsClosing)
                {
                    var status = LineFramer.TryReadFrame(ref pending, maxFrameBytes, out var frame);
                    if (status == LineFrameStatus.NeedMore)
                    {
                        break;
                    }
                    if (status == LineFrameStatus.TooLarge)
                    {
                        session.RejectTooLarge();
                        return;
                    }
                    // the session parses the frame before its first await: the buffer may be reused after
                    await session.ReceiveAsync(frame).ConfigureAwait(false);
                }
                start = end - (int)pending.Length;
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
