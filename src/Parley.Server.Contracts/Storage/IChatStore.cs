namespace Parley.Server.Storage;

/// <summary>
/// Everything the server keeps: messages with their sequence numbers, the acknowledgments that make
/// resends idempotent, and accounts with their rooms. One implementation per database; the core
/// knows only this interface.
/// </summary>
/// <remarks>
/// Conversation keys come from <c>ConversationKeys</c> in the server core: <c>#room</c> for a room,
/// <c>dm:a:b</c> (the two parties' identities, ordered) for a direct conversation.
/// </remarks>
public interface IChatStore : IAsyncDisposable
{
    /// <summary>Opens the database and brings its schema to the newest version.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues a message for the next group commit. The store gives it the next <c>seq</c> of its
    /// conversation and a timestamp, commits it durably together with whatever else is queued, and
    /// then calls <see cref="PendingMessage.OnCommitted"/> (or <see cref="PendingMessage.OnFailed"/>).
    /// </summary>
    /// <remarks>
    /// Must not block. Messages of one conversation are sequenced in the order they were appended,
    /// and their callbacks run in <c>seq</c> order, one at a time, so a callback that hands the
    /// message to its recipients keeps every recipient's order.
    /// </remarks>
    void Append(PendingMessage message);

    /// <summary>Completes when every message appended before the call has been committed and its callback run.</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The acknowledgment already given to the newest message that <paramref name="senderKey"/> sent with
    /// <paramref name="clientId"/> at or after <paramref name="notBefore"/>, or null.
    /// </summary>
    ValueTask<StoredMessage?> FindAckAsync(string senderKey, string clientId, DateTimeOffset notBefore, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether <paramref name="senderKey"/> has any message stored at or after <paramref name="notBefore"/>.
    /// A session whose user has none needs no <see cref="FindAckAsync"/> per send: every id it could
    /// repeat is then in memory. A store that cannot tell cheaply answers true (always look up).
    /// </summary>
    ValueTask<bool> HasSentSinceAsync(string senderKey, DateTimeOffset notBefore, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(true);

    /// <summary>
    /// A page of a conversation, oldest first. With <paramref name="after"/> alone: the oldest messages
    /// after it, and <see cref="HistoryPage.More"/> tells whether newer ones exist. Otherwise: the newest
    /// messages before <paramref name="before"/> (if given) and after <paramref name="after"/> (if given),
    /// and <see cref="HistoryPage.More"/> tells whether older ones exist.
    /// </summary>
    ValueTask<HistoryPage> ReadHistoryAsync(string conversationKey, long? before, long? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// The direct conversations of <paramref name="identity"/>, the most recently active first, at most
    /// <paramref name="limit"/>: what its <c>welcome</c> lists, so that a message that came while it was away is seen.
    /// </summary>
    ValueTask<IReadOnlyList<DirectConversation>> ListDirectConversationsAsync(string identity, int limit, CancellationToken cancellationToken = default);

    /// <summary>The account of a name's comparison key, or null.</summary>
    ValueTask<Account?> FindAccountAsync(string userKey, CancellationToken cancellationToken = default);

    /// <summary>An account whose name has the confusable skeleton <paramref name="skeleton"/>, or null.</summary>
    ValueTask<Account?> FindAccountBySkeletonAsync(string skeleton, CancellationToken cancellationToken = default);

    /// <summary>The account of an identity, or null.</summary>
    ValueTask<Account?> FindAccountByIdentityAsync(string identity, CancellationToken cancellationToken = default);

    /// <summary>Creates an account; false when the user key or the identity already has one.</summary>
    ValueTask<bool> TryCreateAccountAsync(Account account, CancellationToken cancellationToken = default);

    /// <summary>Replaces the rooms an account is a member of (rooms in canonical form).</summary>
    ValueTask SaveAccountRoomsAsync(string identity, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default);

    /// <summary>Every account's stored name, key and skeleton, with the version of the rules they follow.</summary>
    ValueTask<IReadOnlyList<AccountName>> ListAccountNamesAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores an account's key and skeleton as computed by the name rules of version <paramref name="nameRules"/>.</summary>
    ValueTask UpdateAccountNameAsync(string identity, string userKey, string skeleton, int nameRules, CancellationToken cancellationToken = default);

    /// <summary>Keeps an account's new identity token, by its hash (the token itself is never stored).</summary>
    ValueTask SaveTokenAsync(string tokenHash, string identity, DateTimeOffset issued, CancellationToken cancellationToken = default);

    /// <summary>The token with hash <paramref name="tokenHash"/>, or null when the server does not know it.</summary>
    ValueTask<IdentityToken?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken = default);

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

    /// <summary>The rooms created before rooms had skeletons, whose skeleton the server has yet to fill in.</summary>
    ValueTask<IReadOnlyList<string>> ListRoomsWithoutSkeletonAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores the skeleton of a room created before rooms had them.</summary>
    ValueTask SetRoomSkeletonAsync(string room, string skeleton, CancellationToken cancellationToken = default);

    /// <summary>True when the database answers.</summary>
    ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken = default);
}
