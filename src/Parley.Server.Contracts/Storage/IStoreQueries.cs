namespace Parley.Server.Storage;

/// <summary>
/// What the server reads from its store. The engine answers them; the core's store (the commit
/// pipeline over an engine) passes them on.
/// </summary>
/// <remarks>
/// Conversation keys come from <c>ConversationKeys</c> in the server core: <c>#room</c> for a room,
/// <c>dm:a:b</c> (the two parties' identities, ordered) for a direct conversation.
/// </remarks>
public interface IStoreQueries
{
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

    /// <summary>Every account's stored name, key and skeleton, with the version of the rules they follow.</summary>
    ValueTask<IReadOnlyList<AccountName>> ListAccountNamesAsync(CancellationToken cancellationToken = default);

    /// <summary>The token with hash <paramref name="tokenHash"/>, or null when the server does not know it.</summary>
    ValueTask<IdentityToken?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken = default);

    /// <summary>The rooms created before rooms had skeletons, whose skeleton the server has yet to fill in.</summary>
    ValueTask<IReadOnlyList<string>> ListRoomsWithoutSkeletonAsync(CancellationToken cancellationToken = default);

    /// <summary>True when the database answers.</summary>
    ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken = default);
}
