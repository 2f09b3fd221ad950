namespace Parley.Server.Storage;

/// <summary>
/// A database engine (SQLite, PostgreSQL): it opens its database, commits the batches the core's
/// commit pipeline hands it, and answers the queries. It has no queue, thread or callbacks of its
/// own; the core decides what goes into a batch and what happens after the commit.
/// </summary>
public interface IChatEngine : IStoreQueries, IAsyncDisposable
{
    /// <summary>Opens the database and brings its schema to the newest version.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Commits one batch in one transaction (one fsync): first gives each of
    /// <see cref="CommitBatch.Conversations"/> its first <c>seq</c> for this batch
    /// (<see cref="CommitBatch.SetFirstSeq"/>: the conversation's newest stored seq plus one, which in a
    /// cluster the database decides), then inserts every message with <see cref="CommitBatch.SeqOf"/>
    /// and the batch's timestamp, then applies each write under a savepoint of its own: a write the
    /// database refuses alone gets <see cref="StoreWrite.Refusal"/> and the batch goes on.
    /// </summary>
    /// <remarks>
    /// Called by one caller at a time. Throws when the batch was not committed (nothing of it is
    /// stored); the next batch must then not trust anything the engine remembered of this one.
    /// </remarks>
    ValueTask CommitAsync(CommitBatch batch);
}
