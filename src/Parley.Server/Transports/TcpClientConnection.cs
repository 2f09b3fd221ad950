using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Parley.Server.Core;

namespace Parley.Server.Transports;

/// <summary>A client over raw TCP: each frame is one line, ended by <c>\n</c>.</summary>
/// <remarks>
/// A batch of frames is gathered in one pooled buffer and handed to the socket with one non-blocking
/// send on the writer's thread: no copy into Kestrel's output pipe and no hop to its send loop (a sixth
/// of the server's CPU in a profile of the steady workload). When the peer's socket buffer is full the
/// rest goes through the output pipe, whose flush is the back-pressure, and every later frame
/// follows it there so that nothing overtakes what is still in the pipe.
/// </remarks>
internal sealed class TcpClientConnection : ClientConnection
{
    private const int MinimumBatchBuffer = 4096;
    private const int MaximumBatchBuffer = 64 * 1024;

    private readonly ConnectionContext _context;
    private readonly PipeWriter _output;
    // null once the socket would block (or when the transport exposes none): from then on the pipe
    private Socket? _socket;
    private byte[]? _batch;
    private int _batchLength;

    public TcpClientConnection(ConnectionContext context)
    {
        _context = context;
        _output = context.Transport.Output;
        _socket = context.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (_socket is not null)
        {
            // a full socket buffer must fail the send at once, not block the writer's thread;
            // Kestrel's own reads and sends are asynchronous and do not depend on this
            _socket.Blocking = false;
        }
    }

    public override string Transport => "tcp";

    public override string RemoteAddress => _context.RemoteEndPoint?.ToString() ?? "?";

    protected override ValueTask WriteAsync(byte[] frame)
    {
        if (_socket is not null && _batchLength > 0 && _batchLength + frame.Length + 1 > MaximumBatchBuffer)
        {
            // a long backlog (a replay, a burst) goes out in pieces instead of one ever larger buffer
            SendBatch();
        }
        if (_socket is null)
        {
            // frames are batched in the pipe and go out together on the next flush
            _output.Write(frame);
            _output.Write("\n"u8);
            return ValueTask.CompletedTask;
        }
        var needed = _batchLength + frame.Length + 1;
        if (_batch is null || _batch.Length < needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(MinimumBatchBuffer, needed));
            if (_batch is not null)
            {
                _batch.AsSpan(0, _batchLength).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_batch);
            }
            _batch = larger;
        }
        frame.CopyTo(_batch.AsSpan(_batchLength));
        _batch[_batchLength + frame.Length] = (byte)'\n';
        _batchLength = needed;
        return ValueTask.CompletedTask;
    }

    protected override ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        SendBatch();
        return _socket is null ? FlushPipeAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    // hands the gathered frames to the socket; what it does not take at once moves to the pipe, for good
    private void SendBatch()
    {
        if (_batch is null)
        {
            return;
        }
        try
        {
            var sent = SendWithoutWaiting();
            if (sent < _batchLength)
            {
                // the peer is not keeping up: the rest waits in the pipe, and so does everything after it
                _output.Write(_batch.AsSpan(sent, _batchLength - sent));
                _socket = null;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(_batch);
            _batch = null;
            _batchLength = 0;
        }
    }

    // how much of the batch the socket took without blocking; a broken connection ends the writer
    private int SendWithoutWaiting()
    {
        var sent = 0;
        while (sent < _batchLength)
        {
            // this overload reports socket errors in `error` instead of throwing them
            var count = _socket!.Send(_batch.AsSpan(sent, _batchLength - sent), SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return sent;
            }
            if (error != SocketError.Success)
            {
                throw new IOException("The client's socket failed.", new SocketException((int)error));
            }
            sent += count;
        }
        return sent;
    }

    private async ValueTask FlushPipeAsync(CancellationToken cancellationToken) =>
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);

    // the read loop waits without a token: a cancelled read is how it learns of the close
    protected override void StopReading() => _context.Transport.Input.CancelPendingRead();

    // the read loop was woken by StopReading when the close began
    protected override async ValueTask CloseTransportAsync()
    {
        if (_batch is not null)
        {
            ArrayPool<byte>.Shared.Return(_batch);
            _batch = null;
        }
        await _output.CompleteAsync().ConfigureAwait(false);
    }
}
