using System.Threading.Channels;

namespace Parley.Server.Storage;

/// <summary>
/// What a store's writer takes, in the order it was queued: messages (<see cref="PendingMessage"/>)
/// and other writes (<see cref="WriteJob{TWork}"/>). Many writers, one reader: the store's writer loop.
/// </summary>
/// <typeparam name="TWork">The store's delegate for a job's work.</typeparam>
public sealed class WriteQueue<TWork>
    where TWork : Delegate
{
    private readonly Channel<object> items;

    /// <summary>A queue read by an async writer loop (<see cref="RunAsync"/>).</summary>
    public WriteQueue()
        : this(blockingReader: false)
    {
    }

    /// <summary>A queue read by an async writer loop, or by a thread of its own (<see cref="RunBlocking"/>).</summary>
    /// <param name="blockingReader">
    /// True for a writer on a thread of its own: a new item then wakes it directly. An async loop's
    /// wake-up waits in the thread pool's queue behind every connection's work.
    /// </param>
    public WriteQueue(bool blockingReader) =>
        items = Channel.CreateUnbounded<object>(new UnboundedChannelOptions
        {
            SingleReader = true,
            // the only continuation a blocking reader has is the signal that wakes its thread
            AllowSynchronousContinuations = blockingReader,
        });

    /// <summary>Queues a message.</summary>
    /// <exception cref="ArgumentException">A field of the message is null (it would fail the whole batch).</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public void Append(PendingMessage message, object store)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.ConversationKey is null || message.SenderKey is null || message.From is null
            || message.To is null || message.Text is null || message.ClientId is null)
        {
            throw new ArgumentException("Every field of a message must be set.", nameof(message));
        }
        if (!items.Writer.TryWrite(message))
        {
            throw new ObjectDisposedException(store.GetType().FullName);
        }
    }

    /// <summary>Queues a job and returns its completion.</summary>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public Task<bool> Enqueue(WriteJob<TWork> job, object store)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!items.Writer.TryWrite(job))
        {
            throw new ObjectDisposedException(store.GetType().FullName);
        }
        return job.Completion;
    }

    /// <summary>
    /// The writer loop: takes everything queued (up to <paramref name="maxBatchSize"/>) and hands it to
    /// <paramref name="writeBatch"/>, until the queue is completed and empty. An exception of
    /// <paramref name="writeBatch"/> goes to <paramref name="onWriterError"/> and the loop goes on,
    /// or every later write would hang.
    /// </summary>
    public async Task RunAsync(int maxBatchSize, Func<List<object>, Task> writeBatch, Action<Exception> onWriterError)
    {
        ArgumentNullException.ThrowIfNull(writeBatch);
        ArgumentNullException.ThrowIfNull(onWriterError);
        var batch = new List<object>(Math.Min(maxBatchSize, 1024));
        while (await items.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            TakeBatch(batch, maxBatchSize);
            try
            {
                await writeBatch(batch).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                onWriterError(error);
            }
            // the written batch holds no message alive while the writer waits
            batch.Clear();
        }
    }

    /// <summary>Takes no more writes; the writer loop ends once it has taken what is queued.</summary>
    public void Complete() => items.Writer.TryComplete();

    /// <summary>
    /// The writer loop for a store whose writes block (SQLite): run it on a thread of its own, over a
    /// queue made with <c>blockingReader: true</c>. Takes what is queued, up to <paramref name="maxBatchSize"/>,
    /// hands it to <paramref name="writeBatch"/>, and sleeps while the queue is empty; returns once
    /// <see cref="Complete"/> was called and everything is written.
    /// </summary>
    public void RunBlocking(int maxBatchSize, Action<List<object>> writeBatch, Action<Exception> onWriterError)
    {
        ArgumentNullException.ThrowIfNull(writeBatch);
        ArgumentNullException.ThrowIfNull(onWriterError);
        var batch = new List<object>(Math.Min(maxBatchSize, 1024));
        while (WaitToRead())
        {
            TakeBatch(batch, maxBatchSize);
            try
            {
                writeBatch(batch);
            }
            catch (Exception error)
            {
                onWriterError(error);
            }
            // the written batch holds no message alive while the writer waits
            batch.Clear();
        }
    }

    // completes at once while items wait; blocks the writer's own thread only when the queue is empty
    private bool WaitToRead()
    {
        var wait = items.Reader.WaitToReadAsync();
        return wait.IsCompleted ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    // what is queued, in order, up to the batch size
    private void TakeBatch(List<object> batch, int maxBatchSize)
    {
        while (batch.Count < maxBatchSize && items.Reader.TryRead(out var item))
        {
            batch.Add(item);
        }
    }

    /// <summary>
    /// Gives an item its outcome when its batch was not committed: a job is abandoned, a message's
    /// failure callback runs (and <paramref name="onCallbackFailed"/> if that throws).
    /// </summary>
    public static void Abandon(object item, Exception error, Action<PendingMessage, Exception> onCallbackFailed)
    {
        ArgumentNullException.ThrowIfNull(onCallbackFailed);
        if (item is WriteJob<TWork> job)
        {
            job.Abandon(error);
            return;
        }
        var message = (PendingMessage)item;
        try
        {
            message.OnFailed(error);
        }
        catch (Exception callbackError)
        {
            // a callback must not throw; if one does, the writer and the other callbacks go on
            onCallbackFailed(message, callbackError);
        }
    }

    /// <summary>
    /// Stops taking writes (<see cref="Complete"/>), waits for the writer to write what is queued,
    /// then fails with <see cref="ObjectDisposedException"/> whatever it never took: something is left
    /// only when the store never opened.
    /// </summary>
    public async Task CloseAsync(Task writer, object store, Action<PendingMessage, Exception> onCallbackFailed)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(store);
        Complete();
        await writer.ConfigureAwait(false);
        var left = new List<object>();
        TakeBatch(left, int.MaxValue);
        AbandonBatch(left, new ObjectDisposedException(store.GetType().FullName), onCallbackFailed);
    }

    /// <summary>Gives every item of a batch that was not committed its outcome (see <see cref="Abandon"/>).</summary>
    public static void AbandonBatch(List<object> batch, Exception error, Action<PendingMessage, Exception> onCallbackFailed)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var item in batch)
        {
            Abandon(item, error, onCallbackFailed);
        }
    }

    /// <summary>
    /// After a batch committed: each message's commit callback in queue order, then the completion of
    /// every job in the batch, in one <see cref="CommitRound"/>.
    /// </summary>
    public static void NotifyBatchCommitted(List<object> batch, List<(PendingMessage Message, StoredMessage Stored)> committed, Action<StoredMessage, Exception> onCallbackFailed)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(committed);
        // what the callbacks queue for connections is written once they are all done
        using var round = CommitRound.Open();
        foreach (var (message, stored) in committed)
        {
            NotifyCommitted(message, stored, onCallbackFailed);
        }
        foreach (var item in batch)
        {
            (item as WriteJob<TWork>)?.Complete();
        }
    }

    /// <summary>Runs a message's commit callback; <paramref name="onCallbackFailed"/> if it throws.</summary>
    public static void NotifyCommitted(PendingMessage message, StoredMessage stored, Action<StoredMessage, Exception> onCallbackFailed)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(onCallbackFailed);
        try
        {
            message.OnCommitted(stored);
        }
        catch (Exception error)
        {
            // a callback must not throw; if one does, the writer and the other callbacks go on
            onCallbackFailed(stored, error);
        }
    }
}
