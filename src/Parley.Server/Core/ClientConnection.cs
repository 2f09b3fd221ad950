using System.Runtime.CompilerServices;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Server.Diagnostics;

namespace Parley.Server.Core;

/// <summary>
/// What the core sees of a client's connection: a bounded outgoing queue drained by one writer at a time.
/// Transports (TCP lines, WebSocket messages) subclass it to put frames on their wire; the core
/// never learns which one it talks to.
/// </summary>
/// <remarks>
/// <see cref="Enqueue"/> may be called from any thread and never blocks: a slow member must not
/// hold up the room. Frames are written in the order they were queued. When more than the limit
/// is queued, what is queued is dropped, <c>slow_consumer</c> is written and the connection closes.
/// A frame queued with a <see cref="DeliveryBatch"/> (a commit's acks and messages) starts the writer
/// only when the batch is handed out, so that the writer takes the commit's frames together.
/// </remarks>
public abstract class ClientConnection : IThreadPoolWorkItem
{
    private static long s_nextId;

    // guards the first frame, the queues, whether a writer runs and whether it finishes; frames are
    // queued from any thread
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _writerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopWaiting = new();
    // the oldest frame waiting for the writer: a connection that gets one frame at a time (a room's
    // steady traffic) never touches a queue. Frames go to the queue only while this one is set, and the
    // writer takes both at once, so frames wait in the queue only behind it
    private byte[]? _firstFrame;
    // frames waiting behind the first, and the writer's emptied batch kept for reuse: the queue is
    // created the first time two frames wait at once and kept afterwards; an idle connection holds no
    // writer task
    private Queue<byte[]>? _queue;
    private Queue<byte[]>? _spare;
    private bool _writerScheduled;
    // set under the lock once the final frame is decided: from then on a writer that runs dry finishes
    private bool _finishing;
    private long _maxQueuedBytes = long.MaxValue;
    private ParleyMetrics? _metrics;
    private Action<ClientConnection, Exception>? _onWriterFailed;
    // every byte this connection holds: queued, and taken by the writer until its flush handed it on
    private long _heldBytes;
    // completed when the connection holds at most _drainedAt bytes (or ends): a producer of large replies waits for it
    private TaskCompletionSource? _drained;
    private long _drainedAt;
    private int _closeRequested;
    private volatile bool _overflowed;
    private volatile bool _abortWithoutFlush;
    private byte[]? _finalFrame;

    /// <summary>Creates a connection with a peer at <paramref name="remoteIp"/>, when known.</summary>
    protected ClientConnection(System.Net.IPAddress? remoteIp = null) => RemoteIp = remoteIp;

    /// <summary>How long the last frame (slow_consumer, server_shutdown, an error) may take to go out.</summary>
    protected TimeSpan FinalFrameTimeout { get; private set; } = TimeSpan.FromSeconds(2);

    /// <summary>A short id for logs.</summary>
    public string Id { get; } = "c" + Interlocked.Increment(ref s_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The transport's name for logs: <c>tcp</c> or <c>ws</c>.</summary>
    public abstract string Transport { get; }

    /// <summary>The peer's address, for logs.</summary>
    public abstract string RemoteAddress { get; }

    /// <summary>The peer's IP address, which the limits against abuse count by (<c>Limits.AddressKey</c>); null when unknown.</summary>
    public System.Net.IPAddress? RemoteIp { get; }

    /// <summary>Cancelled once the connection is closing: read loops stop taking frames.</summary>
    public CancellationToken Closing => _closing.Token;

    /// <summary>True once a close was requested.</summary>
    public bool IsClosing => Volatile.Read(ref _closeRequested) != 0;

    /// <summary>Completes when the writer has written its last frame and closed the transport.</summary>
    public Task WriterCompletion => _writerDone.Task;

    /// <summary>When the last frame (or byte) arrived, as a <see cref="TimeProvider"/> timestamp.</summary>
    public long LastActivity { get; private set; }

    /// <summary>Notes that the client just sent something.</summary>
    public void MarkActive(long timestamp) => LastActivity = timestamp;

    /// <summary>
    /// Sets the queue's limit, the last frame's time, the metrics, and who hears of a writer that failed in a
    /// way no peer causes (a bug: the connection closes all the same). Called once by the transport, before the first frame.
    /// </summary>
    public void Start(long maxQueuedBytes, TimeSpan finalFrameTimeout, ParleyMetrics metrics, long now, Action<ClientConnection, Exception>? onWriterFailed = null)
    {
        _maxQueuedBytes = maxQueuedBytes;
        FinalFrameTimeout = finalFrameTimeout;
        _metrics = metrics;
        LastActivity = now;
        _onWriterFailed = onWriterFailed;
    }

    /// <summary>
    /// Queues a serialized frame (JSON, no line ending). False when the connection is closing or just overflowed.
    /// With <paramref name="deliveries"/>, a writer this frame needs starts when the batch is flushed; without, at once.
    /// </summary>
    public bool Enqueue(byte[] frame, DeliveryBatch? deliveries = null)
    {
        if (_overflowed || IsClosing)
        {
            return false;
        }
        if (Interlocked.Add(ref _heldBytes, frame.Length) > _maxQueuedBytes)
        {
            Overflow();
            return false;
        }
        bool schedule;
        lock (_lock)
        {
            // checked again under the lock: a frame queued before a close goes out before its final frame
            if (IsClosing)
            {
                return false;
            }
            if (_firstFrame is null)
            {
                _firstFrame = frame;
            }
            else
            {
                (_queue ??= new Queue<byte[]>()).Enqueue(frame);
            }
            schedule = !_writerScheduled;
            _writerScheduled = true;
        }
        if (schedule)
        {
            if (deliveries is not null)
            {
                deliveries.Add(this);
            }
            else
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
        }
        return true;
    }

    /// <summary>Queues a frame.</summary>
    public bool Enqueue(ServerFrame frame) => Enqueue(FrameCodec.ToBytes(frame));

    /// <summary>The bytes this connection holds: queued, or taken by its writer and not yet handed on.</summary>
    public long HeldBytes => Math.Max(0, Interlocked.Read(ref _heldBytes));

    /// <summary>
    /// Completes once the connection holds at most <paramref name="bytes"/>, or ends: whoever makes a large
    /// reply (a page of history) waits for the previous one to drain, so that a client that does not read
    /// pins one, not many. One waiter at a time (the session's read loop).
    /// </summary>
    public Task WhenHoldingAtMostAsync(long bytes)
    {
        if (HeldBytes <= bytes || WriterCompletion.IsCompleted)
        {
            return Task.CompletedTask;
        }
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drainedAt, bytes);
        Volatile.Write(ref _drained, drained);
        // drained meanwhile: the writer may have looked before the wait was in place
        if (HeldBytes <= bytes)
        {
            drained.TrySetResult();
        }
        return Task.WhenAny(drained.Task, WriterCompletion);
    }

    /// <summary>Cuts the connection as a slow consumer: the server needs the memory it holds (a server-wide budget).</summary>
    public void CutAsSlowConsumer() => Overflow();

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
        _closing.Cancel();
        StopReading();
        ScheduleFinish();
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
        _finalFrame = FrameCodec.ToBytes(new ErrorFrame
        {
            Code = ErrorCodes.SlowConsumer,
            Message = "You did not read fast enough: what was queued for you is dropped. Reconnect and resume.",
        });
        _overflowed = true;
        _metrics?.Error(ErrorCodes.SlowConsumer);
        _stopWaiting.Cancel();
        _closing.Cancel();
        StopReading();
        ScheduleFinish();
    }

    // after the final frame is set: a running writer finishes when it runs dry, else one is started to
    private void ScheduleFinish()
    {
        lock (_lock)
        {
            _finishing = true;
            if (_writerScheduled)
            {
                return;
            }
            _writerScheduled = true;
        }
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    void IThreadPoolWorkItem.Execute() => _ = WriteQueuedAsync();

    /// <summary>
    /// The writer: runs while frames are queued and ends when the queue is empty, so an idle connection
    /// has none. At most one runs at a time; frames go out in the order they were queued, a batch per
    /// flush. After a close it writes the final frame and ends the transport.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteQueuedAsync()
    {
        var finish = false;
        try
        {
            while (true)
            {
                byte[]? first;
                Queue<byte[]>? batch;
                lock (_lock)
                {
                    first = _firstFrame;
                    if (_overflowed || _abortWithoutFlush || first is null)
                    {
                        // nothing (more) to write: finish once the close has set its final frame,
                        // else stop until the next frame or the close starts a writer again
                        finish = _finishing;
                        _writerScheduled = _finishing;
                        return;
                    }
                    // the writer takes the first frame and the whole queue behind it; frames queued
                    // meanwhile go to the first frame's place, then to the queue (the spare, when the
                    // writer took the queue)
                    _firstFrame = null;
                    batch = _queue is { Count: > 0 } ? _queue : null;
                    if (batch is not null)
                    {
                        _queue = _spare;
                        _spare = null;
                    }
                }
                var written = 0;
                long writtenBytes = 0;
                if (!_overflowed && !_abortWithoutFlush)
                {
                    writtenBytes += first.Length;
                    await WriteAsync(first).ConfigureAwait(false);
                    written++;
                }
                if (batch is not null)
                {
                    var large = batch.Count > 64;
                    while (!_overflowed && !_abortWithoutFlush && batch.TryDequeue(out var frame))
                    {
                        writtenBytes += frame.Length;
                        await WriteAsync(frame).ConfigureAwait(false);
                        written++;
                    }
                    batch.Clear();
                    if (large)
                    {
                        // a burst's queue does not stay grown on a connection gone quiet
                        batch.TrimExcess();
                    }
                    lock (_lock)
                    {
                        _spare = batch;
                    }
                }
                _metrics?.FramesOut(written);
                if (_overflowed || _abortWithoutFlush)
                {
                    continue;
                }
                // a peer that stops reading parks the writer here until it overflows or closes; what it
                // holds meanwhile still counts against its budget
                await FlushAsync(_stopWaiting.Token).ConfigureAwait(false);
                if (Interlocked.Add(ref _heldBytes, -writtenBytes) <= Volatile.Read(ref _drainedAt))
                {
                    Volatile.Read(ref _drained)?.TrySetResult();
                }
            }
        }
        catch (Exception e) when (IsPeerGone(e))
        {
            // the peer is gone or stalled; only the final frame below is still attempted
            finish = true;
        }
        catch (Exception e)
        {
            // no peer does this: it is told, and the connection ends as if its peer had gone, so that
            // nothing waits for a writer that will not run again
            _onWriterFailed?.Invoke(this, e);
            finish = true;
        }
        finally
        {
            if (finish)
            {
                await FinishAsync().ConfigureAwait(false);
            }
        }
    }

    private async ValueTask FinishAsync()
    {
        lock (_lock)
        {
            // no writer starts again; what is still queued is dropped
            _writerScheduled = true;
            _firstFrame = null;
            _queue = _spare = null;
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
        catch (Exception e)
        {
            _onWriterFailed?.Invoke(this, e);
        }
        finally
        {
            Close();
            Interlocked.Exchange(ref _heldBytes, 0);
            Volatile.Read(ref _drained)?.TrySetResult();
            try
            {
                await CloseTransportAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (IsPeerGone(e))
            {
                // closing a transport whose peer already left
            }
            catch (Exception e)
            {
                _onWriterFailed?.Invoke(this, e);
            }
            finally
            {
                _writerDone.TrySetResult();
            }
        }
    }

    private static bool IsPeerGone(Exception e) =>
        e is IOException or ObjectDisposedException or OperationCanceledException
            or System.Net.WebSockets.WebSocketException or InvalidOperationException;

    /// <summary>Puts one frame on the wire (may buffer until <see cref="FlushAsync"/>).</summary>
    protected abstract ValueTask WriteAsync(byte[] frame);

    /// <summary>Pushes buffered frames out; awaiting it is the back-pressure of a slow peer.</summary>
    protected abstract ValueTask FlushAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Wakes the transport's read loop once the connection is closing, for a transport that does not
    /// wait on <see cref="Closing"/> (a token registration per connection is memory an idle connection keeps).
    /// </summary>
    protected virtual void StopReading()
    {
    }

    /// <summary>Ends the transport after the last frame: the read side must stop too.</summary>
    protected abstract ValueTask CloseTransportAsync();
}
