using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using Parley.Server.Core;

namespace Parley.Server.Transports;

/// <summary>A client over TLS on the TCP endpoint: each frame is one line, ended by <c>\n</c>, inside TLS records.</summary>
/// <remarks>
/// A batch of frames is gathered in one pooled buffer and written to the TLS stream at once: one
/// record (or a few) per batch. A write that a peer holds up is never cancelled, since a TLS record
/// cut in half cannot be resumed: a flush that gives up waiting leaves it running, and whatever comes
/// next (the final frame) waits behind it, so that whole frames still follow.
/// </remarks>
internal sealed class TlsClientConnection(Socket socket, System.Net.IPEndPoint? client, SslStream tls) : ClientConnection(client?.Address)
{
    private LineBatch _batch;
    // the write under way, if any; false once the connection failed. It owns its buffer
    private Task<bool>? _writing;

    public override string Transport => "tls";

    public override string RemoteAddress { get; } = client?.ToString() ?? "?";

    protected override ValueTask WriteAsync(byte[] frame)
    {
        if (_batch.IsFullFor(frame) && _writing is null)
        {
            StartWriting();
        }
        _batch.Append(frame);
        return ValueTask.CompletedTask;
    }

    protected override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_writing is { } writing)
            {
                if (!await writing.WaitAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new IOException("The client's TLS connection failed.");
                }
                _writing = null;
            }
            if (_batch.IsEmpty)
            {
                return;
            }
            StartWriting();
        }
    }

    private void StartWriting()
    {
        var (batch, length) = _batch.Take();
        _writing = WriteBatchAsync(batch, length);
    }

    // false when the connection failed: a write nobody waits for any more must not leave an unobserved exception
    private async Task<bool> WriteBatchAsync(byte[] batch, int length)
    {
        try
        {
            await tls.WriteAsync(batch.AsMemory(0, length)).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException or SocketException)
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

    // after the last frame: TLS's close_notify (unless a write still waits on a peer that does not read),
    // then the end of the stream; the handler closes the socket once the read loop is done too
    protected override async ValueTask CloseTransportAsync()
    {
        _batch.Clear();
        if (_writing is null)
        {
            try
            {
                await CloseNotifyAsync().WaitAsync(FinalFrameTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // the shutdown below ends it
            }
        }
        Shutdown(SocketShutdown.Both);
    }

    private async Task CloseNotifyAsync()
    {
        try
        {
            await tls.ShutdownAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException or InvalidOperationException or SocketException)
        {
            // the peer is gone already
        }
    }

    private void Shutdown(SocketShutdown how)
    {
        try
        {
            socket.Shutdown(how);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // the peer is gone already
        }
    }
}
