using Microsoft.AspNetCore.Builder;
using Parley.Server.Storage;

namespace Parley.Server.Tests.Protocol;

/// <summary>
/// The server's real store with faults a test switches on: a failure inside the server cannot be
/// provoked from the wire, and <c>internal_error</c> is what a client sees of one. While a fault is
/// off, every call goes straight to the real store.
/// </summary>
public sealed class FaultyStore(IChatStore inner) : IChatStore
{
    private readonly Lock _gate = new();
    private readonly List<Task> _failing = [];

    private volatile bool _historyFails;
    private volatile string? _commitFailsFor;

    /// <summary>While true, reading history throws, as a handler with a bug would.</summary>
    public bool HistoryFails
    {
        get => _historyFails;
        set => _historyFails = value;
    }

    /// <summary>While set, a message with this text is not committed: the store reports the commit failed.</summary>
    public string? CommitFailsFor
    {
        get => _commitFailsFor;
        set => _commitFailsFor = value;
    }

    /// <summary>Wraps the store registered in <paramref name="builder"/>; <paramref name="faults"/> gets the wrapper once the server builds it.</summary>
    public static void Wrap(WebApplicationBuilder builder, TaskCompletionSource<FaultyStore> faults) =>
        ServiceWrapping.WrapSingleton<IChatStore, FaultyStore>(builder, store => new FaultyStore(store), faults);

    /// <inheritdoc />
    public void Append(QueuedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Text != CommitFailsFor)
        {
            inner.Append(message);
            return;
        }
        // as a real store does, the failure is reported from another thread, after Append returned
        lock (_gate)
        {
            _failing.Add(Task.Run(() => message.OnFailed(new IOException("Injected by the test: the commit failed."))));
        }
    }

    /// <inheritdoc />
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        Task[] failing;
        lock (_gate)
        {
            failing = [.. _failing];
        }
        await Task.WhenAll(failing).WaitAsync(cancellationToken);
        await inner.FlushAsync(cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<HistoryPage> ReadHistoryAsync(string conversationKey, long? before, long? after, int limit, CancellationToken cancellationToken = default) =>
        HistoryFails
            ? throw new InvalidOperationException("Injected by the test: reading history failed.")
            : inner.ReadHistoryAsync(conversationKey, before, after, limit, cancellationToken);

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredMessage?> FindAckAsync(string senderKey, string clientId, DateTimeOffset notBefore, CancellationToken cancellationToken = default) =>
        inner.FindAckAsync(senderKey, clientId, notBefore, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> HasSentSinceAsync(string senderKey, DateTimeOffset notBefore, CancellationToken cancellationToken = default) =>
        inner.HasSentSinceAsync(senderKey, notBefore, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DirectConversation>> ListDirectConversationsAsync(string identity, int limit, CancellationToken cancellationToken = default) =>
        inner.ListDirectConversationsAsync(identity, limit, cancellationToken);

    /// <inheritdoc />
    public ValueTask<Account?> FindAccountAsync(string userKey, CancellationToken cancellationToken = default) =>
        inner.FindAccountAsync(userKey, cancellationToken);

    /// <inheritdoc />
    public ValueTask<Account?> FindAccountBySkeletonAsync(string skeleton, CancellationToken cancellationToken = default) =>
        inner.FindAccountBySkeletonAsync(skeleton, cancellationToken);

    /// <inheritdoc />
    public ValueTask<Account?> FindAccountByIdentityAsync(string identity, CancellationToken cancellationToken = default) =>
        inner.FindAccountByIdentityAsync(identity, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> TryCreateAccountAsync(Account account, CancellationToken cancellationToken = default) =>
        inner.TryCreateAccountAsync(account, cancellationToken);

    /// <inheritdoc />
    public ValueTask SaveAccountRoomsAsync(string identity, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default) =>
        inner.SaveAccountRoomsAsync(identity, rooms, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AccountName>> ListAccountNamesAsync(CancellationToken cancellationToken = default) =>
        inner.ListAccountNamesAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask UpdateAccountNameAsync(string identity, string userKey, string skeleton, int nameRules, CancellationToken cancellationToken = default) =>
        inner.UpdateAccountNameAsync(identity, userKey, skeleton, nameRules, cancellationToken);

    /// <inheritdoc />
    public ValueTask SaveTokenAsync(string tokenHash, string identity, DateTimeOffset issued, CancellationToken cancellationToken = default) =>
        inner.SaveTokenAsync(tokenHash, identity, issued, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IdentityToken?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken = default) =>
        inner.FindTokenAsync(tokenHash, cancellationToken);

    /// <inheritdoc />
    public ValueTask TouchTokenAsync(string tokenHash, DateTimeOffset used, CancellationToken cancellationToken = default) =>
        inner.TouchTokenAsync(tokenHash, used, cancellationToken);

    /// <inheritdoc />
    public ValueTask RevokeTokenAsync(string tokenHash, CancellationToken cancellationToken = default) =>
        inner.RevokeTokenAsync(tokenHash, cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> DeleteTokensUnusedSinceAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        inner.DeleteTokensUnusedSinceAsync(before, cancellationToken);

    /// <inheritdoc />
    public ValueTask<string> ClaimRoomAsync(string room, string skeleton, CancellationToken cancellationToken = default) =>
        inner.ClaimRoomAsync(room, skeleton, cancellationToken);

    /// <inheritdoc />
    public ValueTask ForgetRoomAsync(string room, CancellationToken cancellationToken = default) =>
        inner.ForgetRoomAsync(room, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListRoomsWithoutSkeletonAsync(CancellationToken cancellationToken = default) =>
        inner.ListRoomsWithoutSkeletonAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask SetRoomSkeletonAsync(string room, string skeleton, CancellationToken cancellationToken = default) =>
        inner.SetRoomSkeletonAsync(room, skeleton, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken = default) => inner.IsHealthyAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
