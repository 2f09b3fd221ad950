using PostgresWriteJob = Parley.Server.Storage.WriteJob<System.Func<Npgsql.NpgsqlConnection, Npgsql.NpgsqlTransaction, System.Threading.Tasks.Task<bool>>>;
using Parley.Server.Storage;

namespace Parley.Server.Postgres;

public sealed partial class PostgresChatStore
{
    /// <inheritdoc />
    /// <exception cref="ArgumentException">A field of the message is null (it would fail the whole batch).</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public void Append(PendingMessage message) => writes.Append(message, this);

    /// <inheritdoc />
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        // a job without work completes once the batch that holds it has run its callbacks
        Enqueue(new PostgresWriteJob(work: null)).WaitAsync(cancellationToken);

    private Task<bool> Enqueue(PostgresWriteJob job) => writes.Enqueue(job, this);
}
