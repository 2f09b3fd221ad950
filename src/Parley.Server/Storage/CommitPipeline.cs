using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Parley.Protocol;
using Parley.Server.Core;
using Parley.Server.Diagnostics;

namespace Parley.Server.Storage;

/// <summary>
/// The spine from a queued send to its delivery: one loop, on a thread of its own, takes whatever is
/// queued (up to <see cref="DefaultMaxBatchSize"/> messages and other writes), gives it one timestamp,
/// has the engine commit it in one transaction (<see cref="IChatEngine.CommitAsync"/>: one fsync
/// however many clients sent), then runs each message's callback in queue order, which queues the acks
/// and the deliveries with one <see cref="DeliveryBatch"/>, and starts the touched connections' writers
/// once the whole commit is handed out.
/// </summary>
/// <remarks>
/// The loop has a thread of its own because SQLite's commit blocks on fsync: it is woken directly
/// when a send arrives instead of queueing behind every connection's work in the thread pool, and its
/// fsync never holds one of the pool's few threads. Reads go straight to the engine.
/// </remarks>
public sealed partial class CommitPipeline : IChatStore
{
    /// <summary>
    /// The most writes one group commit takes: large enough that a burst costs few fsyncs, small enough
    /// that the first message of a burst is not held back long.
    /// </summary>
    public const int DefaultMaxBatchSize = 1024;

    private const int NotStarted = 0, Open = 1, Disposed = 2;

    private readonly IChatEngine _engine;
    private readonly TimeProvider _time;
    private readonly ILogger<CommitPipeline> _logger;
    private readonly ParleyMetrics _metrics;
    private readonly int _maxBatchSize;
    // many writers, one reader: a new item wakes the loop's thread directly (its only continuation is that signal)
    private readonly Channel<Queued> _queue = Channel.CreateUnbounded<Queued>(new UnboundedChannelOptions
    {
        SingleReader = true,
        AllowSynchronousContinuations = true,
    });
    private readonly WriterHealth _health = new();
    private Task _loop = Task.CompletedTask;
    private int _state;
    private long _commitCount;

    // the loop's own, reused from commit to commit
    private readonly List<Queued> _taken = [];
    private readonly List<QueuedMessage> _messages = [];
    private readonly CommitBatch _batch = new();
    private readonly DeliveryBatch _deliveries = new();

    /// <summary>Creates the pipeline over <paramref name="engine"/>, which it owns; <see cref="InitializeAsync"/> opens it.</summary>
    public CommitPipeline(IChatEngine engine, TimeProvider time, ParleyMetrics metrics, ILogger<CommitPipeline> logger, int maxBatchSize = DefaultMaxBatchSize)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        _engine = engine;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _maxBatchSize = maxBatchSize;
    }

    /// <summary>How many transactions have been committed; fewer than the messages when commits are grouped.</summary>
    public long CommitCount => Interlocked.Read(ref _commitCount);

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) == Disposed, this);
        if (Volatile.Read(ref _state) != NotStarted)
        {
            throw new InvalidOperationException("The store is already initialized.");
        }
        await _engine.InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (Interlocked.CompareExchange(ref _state, Open, NotStarted) != NotStarted)
        {
            throw new ObjectDisposedException(GetType().FullName);
        }
        _loop = StartLoop();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A field of the message is null (it would fail the whole batch).</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public void Append(QueuedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.ConversationKey is null || message.SenderKey is null || message.From is null
            || message.To is null || message.Text is null || message.ClientId is null)
        {
            throw new ArgumentException("Every field of a message must be set.", nameof(message));
        }
        Queue(new Queued(message, null));
    }

    /// <inheritdoc />
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        // a marker without a write completes once the batch that holds it has run its callbacks
        var marker = new PendingWrite(null);
        Queue(new Queued(null, marker));
        return marker.Completion.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken = default) =>
        Volatile.Read(ref _state) == Open && !_health.IsFailing && await _engine.IsHealthyAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Stops taking writes, commits what is queued and runs its callbacks, then closes the engine.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _state, Disposed) == Disposed)
        {
            return;
        }
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        // something is left only when the store never opened
        Take(int.MaxValue);
        Abandon(new ObjectDisposedException(GetType().FullName));
        _taken.Clear();
        await _engine.DisposeAsync().ConfigureAwait(false);
    }

    private void Queue(Queued item)
    {
        if (Volatile.Read(ref _state) == Disposed || !_queue.Writer.TryWrite(item))
        {
            throw new ObjectDisposedException(GetType().FullName);
        }
        _metrics.StoreQueued();
    }

    private Task StartLoop()
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run();
                finished.SetResult();
            }
            catch (Exception error)
            {
                finished.SetException(error);
            }
        })
        {
            IsBackground = true,
            Name = "parley-commit",
        };
        thread.Start();
        return finished.Task;
    }

    private void Run()
    {
        while (WaitToRead())
        {
            Take(_maxBatchSize);
            try
            {
                Commit();
            }
            catch (Exception error)
            {
                // a bug of the pipeline's own: the loop goes on, or every later write would hang
                Log.PipelineFailed(_logger, error);
                Abandon(error);
            }
            // the committed batch holds no message alive while the loop waits
            _taken.Clear();
            _messages.Clear();
        }
    }

    // completes at once while items wait; blocks the loop's own thread only when the queue is empty
    private bool WaitToRead()
    {
        var wait = _queue.Reader.WaitToReadAsync();
        return wait.IsCompleted ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    // what is queued, in order, up to the batch size
    private void Take(int maxBatchSize)
    {
        while (_taken.Count < maxBatchSize && _queue.Reader.TryRead(out var item))
        {
            _taken.Add(item);
        }
        _metrics.StoreTaken(_taken.Count);
    }

    private void Commit()
    {
        var ts = Timestamps.TruncateToMilliseconds(_time.GetUtcNow());
        _batch.Reset(ts);
        foreach (var (message, write) in _taken)
        {
            if (message is not null)
            {
                _batch.Add(message);
                _messages.Add(message);
            }
            else if (write!.Write is { } storeWrite)
            {
                _batch.Add(storeWrite);
            }
        }
        if (_batch.Count > 0 && !TryCommitBatch())
        {
            return;
        }
        for (var i = 0; i < _messages.Count; i++)
        {
            var message = _messages[i];
            var stored = new StoredMessage(message.ConversationKey, _batch.SeqOf(i), ts, message.SenderKey, message.From, message.To, message.Text);
            try
            {
                message.OnCommitted(stored, _deliveries);
            }
            catch (Exception error)
            {
                // a callback must not throw; if one does, the loop and the other callbacks go on
                Log.CommitCallbackFailed(_logger, stored.ConversationKey, stored.Seq, error);
            }
        }
        foreach (var (_, write) in _taken)
        {
            write?.Committed();
        }
        _deliveries.Flush();
    }

    // the engine's commit; false (and the batch's writes failed) when it did not commit
    private bool TryCommitBatch()
    {
        var started = _time.GetTimestamp();
        try
        {
            var commit = _engine.CommitAsync(_batch);
            if (commit.IsCompleted)
            {
                commit.GetAwaiter().GetResult();
            }
            else
            {
                // an engine that awaits I/O (PostgreSQL) finishes on the pool; this thread waits for it
                commit.AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception error)
        {
            // whatever the cause, the batch fails as a whole and the loop goes on
            if (_health.CommitFailed())
            {
                Log.CommitFailed(_logger, _batch.Count, error);
            }
            Abandon(error);
            return false;
        }
        _metrics.StoreCommitted(_time.GetElapsedTime(started), _batch.Count);
        Interlocked.Increment(ref _commitCount);
        if (_health.CommitSucceeded() is var failedBefore and > 0)
        {
            Log.CommitsRecovered(_logger, failedBefore);
        }
        return true;
    }

    // the outcome of what was taken and not committed: a message's failure callback, a write's error
    private void Abandon(Exception error)
    {
        foreach (var (message, write) in _taken)
        {
            if (write is not null)
            {
                write.Abandoned(error);
                continue;
            }
            try
            {
                message!.OnFailed(error);
            }
            catch (Exception callbackError)
            {
                // a callback must not throw; if one does, the loop and the other callbacks go on
                Log.FailureCallbackFailed(_logger, message!.ConversationKey, callbackError);
            }
        }
    }

    // one place in the queue: a message, or a write (a flush marker when its write is null)
    private readonly record struct Queued(QueuedMessage? Message, PendingWrite? Write);

    // a write on its way, and its caller's wait
    private sealed class PendingWrite(StoreWrite? write)
    {
        private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public StoreWrite? Write => write;

        public Task Completion => completion.Task;

        public void Committed()
        {
            if (write?.Refusal is { } refusal)
            {
                completion.TrySetException(refusal);
            }
            else
            {
                completion.TrySetResult();
            }
        }

        // a flush marker still completes: the messages before it had their callbacks
        public void Abandoned(Exception error)
        {
            if (write is null)
            {
                completion.TrySetResult();
            }
            else
            {
                completion.TrySetException(error);
            }
        }
    }
}
