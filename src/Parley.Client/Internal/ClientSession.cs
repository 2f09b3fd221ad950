using System.Threading.Channels;
using Parley.Client.Transports;
using Parley.Protocol.Frames;

namespace Parley.Client.Internal;

/// <summary>
/// One welcomed connection: its transport, its outgoing queue drained by one writer loop, and its pinger.
/// The client's receive loop owns its end: when the loop stops it calls <see cref="ShutdownAsync"/>.
/// </summary>
/// <remarks>
/// Rules: <see cref="Enqueue"/> never blocks and never reorders (frames go out in the order they were
/// enqueued, which is why the client enqueues under its lock); only the writer loop touches the transport's
/// write side; <see cref="Abort"/> may be called from any thread, any number of times.
/// </remarks>
internal sealed class ClientSession
{
    private readonly Channel<ClientFrame> _outgoing =
        Channel.CreateUnbounded<ClientFrame>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider _time;
    private Task _writer = Task.CompletedTask;
    private Task _pinger = Task.CompletedTask;
    private ParleyException? _abortReason;
    private long _lastReceived;

    public ClientSession(IFrameTransport transport, TimeProvider time)
    {
        Transport = transport;
        _time = time;
        MarkReceived();
    }

    public IFrameTransport Transport { get; }

    /// <summary>Cancelled when the session is aborted or shut down.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Completes when the session is over and its transport disposed.</summary>
    public Task Ended => _ended.Task;

    /// <summary>Why the session was aborted from within (silence, a closing error from the server), if it was.</summary>
    public ParleyException? AbortReason => Volatile.Read(ref _abortReason);

    /// <summary>Starts the writer loop and the pinger.</summary>
    public void Start(TimeSpan pingInterval)
    {
        _writer = Task.Run(RunWriterAsync);
        _pinger = RunPingerAsync(pingInterval);
    }

    /// <summary>Queues a frame for the writer loop; false once the session no longer writes.</summary>
    public bool Enqueue(ClientFrame frame) => _outgoing.Writer.TryWrite(frame);

    /// <summary>The writer loop sends what is queued, then stops (used by quit).</summary>
    public void CompleteOutgoing() => _outgoing.Writer.TryComplete();

    public void MarkReceived() => Volatile.Write(ref _lastReceived, _time.GetTimestamp());

    /// <summary>Ends the connection at once; the receive loop then sees it end.</summary>
    public void Abort(ParleyException? reason)
    {
        if (reason is not null)
        {
            Interlocked.CompareExchange(ref _abortReason, reason, null);
        }
        _stopping.Cancel();
        Transport.Abort();
    }

    /// <summary>Stops the writer and the pinger and disposes the transport. Called once, by the receive loop.</summary>
    public async Task ShutdownAsync()
    {
        Abort(null);
        await _writer.ConfigureAwait(false);
        await _pinger.ConfigureAwait(false);
        try
        {
            await Transport.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // the connection is gone already; nothing is left to save or report
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        _ended.TrySetResult();
    }

    private async Task RunWriterAsync()
    {
        var frames = _outgoing.Reader;
        try
        {
            while (await frames.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                // everything queued goes into one flush
                while (frames.TryRead(out var frame))
                {
                    Transport.Write(frame);
                }
                await Transport.FlushAsync(_stopping.Token).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // any failure to write ends the session; the receive loop reports it
        catch (Exception)
#pragma warning restore CA1031
        {
            Abort(null);
        }
    }

    private async Task RunPingerAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                var silent = _time.GetElapsedTime(Volatile.Read(ref _lastReceived));
                if (silent >= 2 * interval)
                {
                    Abort(new ParleyException(ClientErrorCodes.ConnectionLost,
                        $"Nothing came from the server for {silent.TotalSeconds:0} s: the connection is taken as lost."));
                    return;
                }
                Enqueue(new PingFrame());
            }
        }
        catch (OperationCanceledException)
        {
            // the session is over
        }
    }
}
