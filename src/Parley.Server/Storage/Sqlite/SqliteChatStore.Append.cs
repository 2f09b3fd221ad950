using SqliteWriteJob = Parley.Server.Storage.WriteJob<System.Func<Microsoft.Data.Sqlite.SqliteConnection, bool>>;

namespace Parley.Server.Storage.Sqlite;

public sealed partial class SqliteChatStore
{
    /// <inheritdoc />
    /// <exception cref="ArgumentException">A field of the message is null (it would fail the whole batch).</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public void Append(PendingMessage message) => writes.Append(message, this);

    /// <inheritdoc />
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        // a job without work completes once the batch that holds it has run its callbacks
        Enqueue(new SqliteWriteJob(work: null)).WaitAsync(cancellationToken);

    private Task<bool> Enqueue(SqliteWriteJob job) => writes.Enqueue(job, this);
}
