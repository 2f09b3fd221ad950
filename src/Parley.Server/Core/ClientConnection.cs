using System.Threading.Channels;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Server.Diagnostics;

namespace Parley.Server.Core;

/// <summary>
/// What the core sees of a client's connection: a bounded outgoing queue drained by one writer loop.
/// Transports (TCP lines, WebSocket messages) subclass it to put frames on their wire; the core
/// never learns which one it talks to.
/// </summary>
/// <remarks>
/// <see cref="Enqueue"/> may be called from any thread and never blocks: a slow member must not
/// hold up the room. Frames are written in the order they were queued. When more than the limit
/// is queued, what is queued is dropped, <c>slow_consumer</c> is written and the connection closes.
/// </remarks>
public abstract class ClientConnection
{
    private static long s_nextId;

    private readonly Channel<byte[]> _queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions
    {
        SingleReader = true,
        SingleWriter = false,
        AllowSynchronousContinuations = false,
    });
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _writerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _maxQueuedBytes = long.MaxValue;
    private ParleyMetrics? _metrics;
    private long _queuedBytes;
    private int _closeRequested;
    private volatile bool _overflowed;
    private volatile bool _abortWithoutFlush;
    private readonly CancellationTokenSource _stopWaiting = new();
    private byte[]? _finalFrame;

    /// <summary>How long the last frame (slow_consumer, server_shutdown, an error) may take to go out.</summary>
    public static TimeSpan FinalFrameTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A short id for logs.</summary>
    public string Id { get; } = "c" + Interlocked.Increment(ref s_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The transport's name for logs: <c>tcp</c> or <c>ws</c>.</summary>
    public abstract string Transport { get; }

    /// <summary>The peer's address, for logs.</summary>
    public abstract string RemoteAddress { get; }

    /// <summary>Cancelled once the connection is closing: read loops stop taking frames.</summary>
    public CancellationToken Closing => _closing.Token;

    /// <summary>True once a close was requested.</summary>
    public bool IsClosing => Volatile.Read(ref _closeRequested) != 0;

    /// <summary>Completes when the writer loop has written its last frame and closed the transport.</summary>
    public Task WriterCompletion => _writerDone.Task;

    /// <summary>When the last frame (or byte) arrived, as a <see cref="TimeProvider"/> timestamp.</summary>
    public long LastActivity { get; private set; }

    /// <summary>Notes that the client just sent something.</summary>
    public void MarkActive(long timestamp) => LastActivity = timestamp;

    /// <summary>Starts the writer loop. Called once by the transport.</summary>
    public void Start(long maxQueuedBytes, ParleyMetrics metrics, long now)
    {
        _maxQueuedBytes = maxQueuedBytes;
        _metrics = metrics;
        LastActivity = now;
        _ = Task.Run(WriteLoopAsync);
    }

    /// <summary>Queues a serialized frame (JSON, no line ending). False when the connection is closing or just overflowed.</summary>
    public bool Enqueue(byte[] frame)
    {
        if (_overflowed || IsClosing)
        {
            return false;
        }
        if (Interlocked.Add(ref _queuedBytes, frame.Length) > _maxQueuedBytes)
        {
            Overflow();
            return false;
        }
        return _queue.Writer.TryWrite(frame);
    }

    /// <summary>Queues a frame.</summary>
    public bool Enqueue(ServerFrame frame) => Enqueue(FrameCodec.ToBytes(frame));

    /// <summary>
    /// Closes after writing what is queued and then <paramref name="finalFrame"/>, if any.
    /// Idempotent: the first close decides the final frame.
    /// </summary>
    public void Close(ServerFrame? finalFrame = null)
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) != 0)
        {
            return;
        }
        _finalFrame = finalFrame is null ? null : FrameCodec.ToBytes(finalFrame);
        _queue.Writer.TryComplete();
        _closing.Cancel();
    }

    /// <summary>Closes at once, dropping what is queued and writing nothing more (idle timeout, dead peer).</summary>
    public void Abort()
    {
        _abortWithoutFlush = true;
        Close();
        _stopWaiting.Cancel();
    }

    private void Overflow()
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) != 0)
        {
            return;
        }
        _overflowed = true;
        _finalFrame = FrameCodec.ToBytes(new ErrorFrame
        {
            Code = ErrorCodes.SlowConsumer,
            Message = "You did not read fast enough: what was queued for you is dropped. Reconnect and resume.",
        });
        _metrics?.Error(ErrorCodes.SlowConsumer);
        _queue.Writer.TryComplete();
        _stopWaiting.Cancel();
        _closing.Cancel();
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                var written = 0;
                while (!_overflowed && !_abortWithoutFlush && reader.TryRead(out var frame))
                {
                    Interlocked.Add(ref _queuedBytes, -frame.Length);
                    await WriteAsync(frame).ConfigureAwait(false);
                    written++;
                }
                _metrics?.FramesOut(written);
                if (_overflowed || _abortWithoutFlush)
                {
                    break;
                }
                // a peer that stops reading parks the loop here until it overflows or closes
                await FlushAsync(_stopWaiting.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsPeerGone(e))
        {
            // the peer is gone or stalled; only the final frame below is still attempted
        }
        try
        {
            if (_finalFrame is { } final && !_abortWithoutFlush)
            {
                using var deadline = new CancellationTokenSource(FinalFrameTimeout);
                await WriteAsync(final).ConfigureAwait(false);
                _metrics?.FramesOut(1);
                await FlushAsync(deadline.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsPeerGone(e))
        {
            // a peer that does not read does not get its last frame
        }
        finally
        {
            Close();
            try
            {
                await CloseTransportAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (IsPeerGone(e))
            {
                // closing a transport whose peer already left
            }
            _writerDone.TrySetResult();
        }
    }

    private static bool IsPeerGone(Exception e) =>
        e is IOException or ObjectDisposedException or OperationCanceledException
            or System.Net.WebSockets.WebSocketException or InvalidOperationException;

    /// <summary>Puts one frame on the wire (may buffer until <see cref="FlushAsync"/>).</summary>
    protected abstract ValueTask WriteAsync(byte[] frame);

    /// <summary>Pushes buffered frames out; awaiting it is the back-pressure of a slow peer.</summary>
    protected abstract ValueTask FlushAsync(CancellationToken cancellationToken);

    /// <summary>Ends the transport after the last frame: the read side must stop too.</summary>
    protected abstract ValueTask CloseTransportAsync();
}
