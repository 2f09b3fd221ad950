namespace Parley.Server.Storage;

// reads do not wait for the pipeline: they go straight to the engine
public sealed partial class CommitPipeline
{
    /// <inheritdoc />
    public ValueTask<StoredMessage?> FindAckAsync(string senderKey, string clientId, DateTimeOffset notBefore, CancellationToken cancellationToken = default) =>
        _engine.FindAckAsync(senderKey, clientId, notBefore, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> HasSentSinceAsync(string senderKey, DateTimeOffset notBefore, CancellationToken cancellationToken = default) =>
        _engine.HasSentSinceAsync(senderKey, notBefore, cancellationToken);

    /// <inheritdoc />
    public ValueTask<HistoryPage> ReadHistoryAsync(string conversationKey, long? before, long? after, int limit, CancellationToken cancellationToken = default) =>
        _engine.ReadHistoryAsync(conversationKey, before, after, limit, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DirectConversation>> ListDirectConversationsAsync(string identity, int limit, CancellationToken cancellationToken = default) =>
        _engine.ListDirectConversationsAsync(identity, limit, cancellationToken);

    /// <inheritdoc />
    public ValueTask<Account?> FindAccountAsync(string userKey, CancellationToken cancellationToken = default) =>
        _engine.FindAccountAsync(userKey, cancellationToken);

    /// <inheritdoc />
    public ValueTask<Account?> FindAccountBySkeletonAsync(string skeleton, CancellationToken cancellationToken = default) =>
        _engine.FindAccountBySkeletonAsync(skeleton, cancellationToken);

    /// <inheritdoc />
    public ValueTask<Account?> FindAccountByIdentityAsync(string identity, CancellationToken cancellationToken = default) =>
        _engine.FindAccountByIdentityAsync(identity, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AccountName>> ListAccountNamesAsync(CancellationToken cancellationToken = default) =>
        _engine.ListAccountNamesAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<IdentityToken?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken = default) =>
        _engine.FindTokenAsync(tokenHash, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListRoomsWithoutSkeletonAsync(CancellationToken cancellationToken = default) =>
        _engine.ListRoomsWithoutSkeletonAsync(cancellationToken);
}
