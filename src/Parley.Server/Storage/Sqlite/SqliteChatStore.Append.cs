namespace Parley.Server.Storage.Sqlite;

public sealed partial class SqliteChatStore
{
    /// <inheritdoc />
    /// <exception cref="ArgumentException">A field of the message is null (it would fail the whole batch).</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public void Append(PendingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.ConversationKey is null || message.SenderKey is null || message.From is null
            || message.To is null || message.Text is null || message.ClientId is null)
        {
            throw new ArgumentException("Every field of a message must be set.", nameof(message));
        }
        if (!writes.Writer.TryWrite(message))
        {
            throw new ObjectDisposedException(GetType().FullName);
        }
    }

    /// <inheritdoc />
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        // a job without work completes once the batch that holds it has run its callbacks
        Enqueue(new WriteJob(work: null)).WaitAsync(cancellationToken);

    private Task<bool> Enqueue(WriteJob job)
    {
        if (!writes.Writer.TryWrite(job))
        {
            throw new ObjectDisposedException(GetType().FullName);
        }
        return job.Completion;
    }
}
