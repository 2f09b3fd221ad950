using System.Buffers;
using System.Net.Sockets;
using Parley.Server.Core;

namespace Parley.Server.Transports;

/// <summary>A client over raw TCP: each frame is one line, ended by <c>\n</c>.</summary>
/// <remarks>
/// A batch of frames is gathered in one pooled buffer and handed to the socket with one non-blocking
/// send on the writer's thread: no pipe to copy through and no hop to a send loop. When the peer's
/// socket buffer is full, the rest of the batch is sent asynchronously and the flush waits for it:
/// that wait is the back-pressure. Until it is done every later frame is only gathered, so nothing
/// overtakes, and a final frame (slow_consumer, server_shutdown) still goes out whole behind it.
/// </remarks>
internal sealed class TcpClientConnection : ClientConnection
{
    private readonly Socket _socket;
    private readonly string _remoteAddress;
    private LineBatch _batch;
    // the rest of an earlier batch that the socket did not take at once; it owns its own buffer
    private Task<bool>? _sendingRest;

    public TcpClientConnection(Socket socket, System.Net.IPEndPoint? client)
        : base(client?.Address)
    {
        _socket = socket;
        _remoteAddress = client?.ToString() ?? "?";
        // a full socket buffer must fail the send at once, not block the writer's thread;
        // the asynchronous receives and sends do not depend on this
        _socket.Blocking = false;
    }

    public override string Transport => "tcp";

    public override string RemoteAddress => _remoteAddress;

    protected override ValueTask WriteAsync(byte[] frame)
    {
        if (_batch.IsFullFor(frame) && _sendingRest is null)
        {
            SendBatch();
        }
        _batch.Append(frame);
        return ValueTask.CompletedTask;
    }

    protected override ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_sendingRest is null)
        {
            SendBatch();
            if (_sendingRest is null)
            {
                return ValueTask.CompletedTask;
            }
        }
        return WaitForRestAsync(cancellationToken);
    }

    // the slow path: the peer is not keeping up; a cancelled wait leaves the send running, so that
    // whatever is written next still follows whole frames
    private async ValueTask WaitForRestAsync(CancellationToken cancellationToken)
    {
        while (_sendingRest is { } sending)
        {
            if (!await sending.WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new IOException("The client's socket failed.");
            }
            _sendingRest = null;
            SendBatch();
        }
    }

    // hands the gathered frames to the socket; what it does not take at once is sent asynchronously
    private void SendBatch()
    {
        if (_batch.IsEmpty)
        {
            return;
        }
        var (batch, length) = _batch.Take();
        var sent = SendWithoutWaiting(batch, length);
        if (sent < length)
        {
            _sendingRest = SendRestAsync(batch, sent, length);
        }
        else
        {
            ArrayPool<byte>.Shared.Return(batch);
        }
    }

    // how much of the batch the socket took without blocking; a broken connection ends the writer
    private int SendWithoutWaiting(byte[] batch, int length)
    {
        var sent = 0;
        while (sent < length)
        {
            // this overload reports socket errors in `error` instead of throwing them
            var count = _socket.Send(batch.AsSpan(sent, length - sent), SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return sent;
            }
            if (error != SocketError.Success)
            {
                ArrayPool<byte>.Shared.Return(batch);
                throw new IOException("The client's socket failed.", new SocketException((int)error));
            }
            sent += count;
        }
        return sent;
    }

    // false when the socket failed: a send nobody waits for any more must not leave an unobserved exception
    private async Task<bool> SendRestAsync(byte[] batch, int sent, int length)
    {
        try
        {
            while (sent < length)
            {
                sent += await _socket.SendAsync(batch.AsMemory(sent, length - sent), SocketFlags.None).ConfigureAwait(false);
            }
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
        }
    }

    // a read waiting for the client's next bytes returns at once: the read loop sees the end
    protected override void StopReading() => Shutdown(SocketShutdown.Receive);

    // after the last frame: what was sent is followed by the end of the stream; the socket itself
    // is closed by the handler once the read loop is done too
    protected override ValueTask CloseTransportAsync()
    {
        _batch.Clear();
        Shutdown(SocketShutdown.Both);
        return ValueTask.CompletedTask;
    }

    private void Shutdown(SocketShutdown how)
    {
        try
        {
            _socket.Shutdown(how);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // the peer is gone already
        }
    }
}
