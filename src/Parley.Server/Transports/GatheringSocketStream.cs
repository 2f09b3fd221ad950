using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Parley.Server.Transports;

/// <summary>
/// The stream under a WebSocket served on Parley's own socket. Reads go to the socket (a zero-byte
/// read waits without a buffer); writes go to the socket too, except while <see cref="Gathering"/>,
/// when they are kept and sent with the next write that is not: a batch of frames leaves in one
/// send instead of one per frame.
/// </summary>
/// <remarks>
/// The WebSocket writes one whole frame per write and never two at once, and its own frames (a
/// pong, a close) come through here too, so whatever is gathered is whole frames in order, and it
/// leaves with the next write whoever makes it.
/// </remarks>
internal sealed class GatheringSocketStream(Socket socket) : Stream
{
    private const int MinimumGatherBuffer = 4096;

    private byte[]? _gathered;
    private int _gatheredLength;

    /// <summary>While true, writes are kept to leave with the next write made while false.</summary>
    public bool Gathering { get; set; }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    // a socket's failure is an IOException, as from a NetworkStream: the WebSocket and its read loop expect that
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new IOException("The client's socket failed.", e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Gathering || _gathered is not null)
        {
            Gather(buffer.Span);
            if (Gathering)
            {
                return ValueTask.CompletedTask;
            }
            var gathered = _gathered!;
            var length = _gatheredLength;
            _gathered = null;
            _gatheredLength = 0;
            return SendGatheredAsync(gathered, length, cancellationToken);
        }
        return SendAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The WebSocket reads asynchronously.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("The WebSocket writes asynchronously.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // frames gathered but never sent stay where they are: an abort may dispose the stream while a
            // write on another thread is still using the buffer, which the collector frees after it
            socket.Dispose();
        }
        base.Dispose(disposing);
    }

    private void Gather(ReadOnlySpan<byte> bytes)
    {
        var needed = _gatheredLength + bytes.Length;
        bytes.CopyTo(PooledBuffer.EnsureCapacity(ref _gathered, _gatheredLength, needed, MinimumGatherBuffer).AsSpan(_gatheredLength));
        _gatheredLength = needed;
    }

    private async ValueTask SendGatheredAsync(byte[] gathered, int length, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(gathered.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(gathered);
        }
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            while (!bytes.IsEmpty)
            {
                var sent = await socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                bytes = bytes[sent..];
            }
        }
        catch (SocketException e)
        {
            throw new IOException("The client's socket failed.", e);
        }
    }
}
