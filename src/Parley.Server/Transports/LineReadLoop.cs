using System.Buffers;
using System.Net.Sockets;
using Parley.Protocol;
using Parley.Server.Core;

namespace Parley.Server.Transports;

/// <summary>Where a line-based connection's bytes come from: the socket (plain TCP) or the TLS stream over it.</summary>
internal interface IByteSource
{
    /// <summary>Receives into <paramref name="buffer"/>; an empty buffer waits until bytes are there. 0 bytes into a non-empty one is the end.</summary>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer);
}

/// <summary>
/// The read side of the TCP endpoint, with or without TLS: splits the bytes into lines
/// (<see cref="LineFramer"/>) and hands each to the session.
/// </summary>
/// <remarks>
/// An idle connection holds no buffer: the loop waits with a zero-byte receive and rents a buffer
/// only once bytes have arrived, returning it as soon as no partial line is left in it. The source is
/// a struct the loop is compiled for, so the plain path holds its socket and nothing else.
/// </remarks>
internal static class LineReadLoop
{
    private const int InitialBufferBytes = 4096;

    /// <summary>
    /// Opens <paramref name="connection"/>'s session and runs it until the client closes its side, the session
    /// closes the connection, or a line is over the limit; then closes the session.
    /// </summary>
    /// <remarks>One method for all of it: every async frame on an idle client's stack is memory it holds.</remarks>
    public static async Task ServeAsync<TSource>(TSource source, ClientConnection connection, ChatServer server)
        where TSource : IByteSource
    {
        var session = server.Open(connection);
        var maxFrameBytes = server.Options.MaxFrameBytes;
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
                    await source.ReceiveAsync(Memory<byte>.Empty).ConfigureAwait(false);
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
                // no token: a close shuts the socket's receive side (the connection's StopReading),
                // which ends this receive with 0 bytes
                var count = await source.ReceiveAsync(buffer.AsMemory(end, space)).ConfigureAwait(false);
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
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            // the client left, or the connection was cut off at shutdown
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            await server.CloseAsync(session).ConfigureAwait(false);
        }
    }
}
