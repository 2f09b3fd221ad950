namespace Parley.Server.Storage;

/// <summary>
/// Everything the server keeps, as the core sees it: messages with their sequence numbers, the
/// acknowledgments that make resends idempotent, and accounts with their rooms. Implemented once, by
/// <see cref="CommitPipeline"/> over the database's <see cref="IChatEngine"/>: every write goes
/// through its group commit.
/// </summary>
public interface IChatStore : IStoreQueries, IAsyncDisposable
{
    /// <summary>Opens the database and brings its schema to the newest version.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues a message for the next group commit. The store gives it the next <c>seq</c> of its
    /// conversation and a timestamp, commits it durably together with whatever else is queued, and
    /// then calls <see cref="QueuedMessage.OnCommitted"/> (or <see cref="QueuedMessage.OnFailed"/>).
    /// </summary>
    /// <remarks>
    /// Must not block. Messages of one conversation are sequenced in the order they were appended,
    /// and their callbacks run in <c>seq</c> order, one at a time, so a callback that hands the
    /// message to its recipients keeps every recipient's order.
    /// </remarks>
    void Append(QueuedMessage message);

    /// <summary>Completes when every message appended before the call has been committed and its callback run.</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates an account; false when the user key or the identity already has one.</summary>
    ValueTask<bool> TryCreateAccountAsync(Account account, CancellationToken cancellationToken = default);

    /// <summary>Replaces the rooms an account is a member of (rooms in canonical form).</summary>
    ValueTask SaveAccountRoomsAsync(string identity, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default);

    /// <summary>Stores an account's key and skeleton as computed by the name rules of version <paramref name="nameRules"/>.</summary>
    ValueTask UpdateAccountNameAsync(string identity, string userKey, string skeleton, int nameRules, CancellationToken cancellationToken = default);

    /// <summary>Keeps an account's new identity token, by its hash (the token itself is never stored).</summary>
    ValueTask SaveTokenAsync(string tokenHash, string identity, DateTimeOffset issued, CancellationToken cancellationToken = default);

    /// <summary>Records that a token signed in at <paramref name="used"/>: its lifetime counts from there.</summary>
    ValueTask TouchTokenAsync(string tokenHash, DateTimeOffset used, CancellationToken cancellationToken = default);

    /// <summary>Forgets a token: it signs in no more.</summary>
    ValueTask RevokeTokenAsync(string tokenHash, CancellationToken cancellationToken = default);

    /// <summary>Forgets every token last used before <paramref name="before"/>; returns how many.</summary>
    ValueTask<int> DeleteTokensUnusedSinceAsync(DateTimeOffset before, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes sure the room <paramref name="room"/> exists, creating it under <paramref name="skeleton"/> unless a
    /// room that looks like it (the same skeleton) exists; returns the room that holds the skeleton:
    /// <paramref name="room"/> itself, or the lookalike, which the new room may not be.
    /// </summary>
    ValueTask<string> ClaimRoomAsync(string room, string skeleton, CancellationToken cancellationToken = default);

    /// <summary>Frees a room that has no message (nobody is in it any more): its name and look are free again. A room with messages stays.</summary>
    ValueTask ForgetRoomAsync(string room, CancellationToken cancellationToken = default);

    /// <summary>Stores the skeleton of a room created before rooms had them.</summary>
    ValueTask SetRoomSkeletonAsync(string room, string skeleton, CancellationToken cancellationToken = default);
}
