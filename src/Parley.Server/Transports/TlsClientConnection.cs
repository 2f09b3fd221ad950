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
    private const int MinimumBatchBuffer = 4096;
    private const int MaximumBatchBuffer = 64 * 1024;

    private byte[]? _batch;
    private int _batchLength;
    // the write under way, if any; false once the connection failed. It owns its buffer
    private Task<bool>? _writing;

    public override string Transport => "tls";

    public override string RemoteAddress { get; } = client?.ToString() ?? "?";

    protected override ValueTask WriteAsync(byte[] frame)
    {
        if (_batchLength > 0 && _batchLength + frame.Length + 1 > MaximumBatchBuffer && _writing is null)
        {
            // a long backlog (a replay, a burst) goes out in pieces instead of one ever larger buffer
            StartWriting();
        }
        var needed = _batchLength + frame.Length + 1;
        var batch = PooledBuffer.EnsureCapacity(ref _batch, _batchLength, needed, MinimumBatchBuffer);
        frame.CopyTo(batch.AsSpan(_batchLength));
        batch[_batchLength + frame.Length] = (byte)'\n';
        _batchLength = needed;
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
            if (_batch is null)
            {
                return;
            }
            StartWriting();
        }
    }

    private void StartWriting()
    {
        var batch = _batch!;
        var length = _batchLength;
        _batch = null;
        _batchLength = 0;
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
        if (_batch is not null)
        {
            ArrayPool<byte>.Shared.Return(_batch);
            _batch = null;
            _batchLength = 0;
        }
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
