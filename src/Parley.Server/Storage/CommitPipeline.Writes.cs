namespace Parley.Server.Storage;

public sealed partial class CommitPipeline
{
    /// <inheritdoc />
    public async ValueTask<bool> TryCreateAccountAsync(Account account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var write = await WriteAsync(new CreateAccountWrite(account with { Rooms = [.. account.Rooms] }, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return write.Inserted;
    }

    /// <inheritdoc />
    /// <remarks>The account must exist (the rooms refer to it); otherwise the returned task fails.</remarks>
    public async ValueTask SaveAccountRoomsAsync(string identity, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(rooms);
        await WriteAsync(new SaveAccountRoomsWrite(identity, [.. rooms]), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask UpdateAccountNameAsync(string identity, string userKey, string skeleton, int nameRules, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(userKey);
        ArgumentNullException.ThrowIfNull(skeleton);
        await WriteAsync(new UpdateAccountNameWrite(identity, userKey, skeleton, nameRules), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask SaveTokenAsync(string tokenHash, string identity, DateTimeOffset issued, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        ArgumentNullException.ThrowIfNull(identity);
        await WriteAsync(new SaveTokenWrite(tokenHash, identity, issued), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask TouchTokenAsync(string tokenHash, DateTimeOffset used, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        await WriteAsync(new TouchTokenWrite(tokenHash, used), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask RevokeTokenAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        await WriteAsync(new RevokeTokenWrite(tokenHash), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<int> DeleteTokensUnusedSinceAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        (await WriteAsync(new DeleteTokensUnusedSinceWrite(before), cancellationToken).ConfigureAwait(false)).Deleted;

    /// <inheritdoc />
    public async ValueTask<string> ClaimRoomAsync(string room, string skeleton, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(skeleton);
        var write = await WriteAsync(new ClaimRoomWrite(room, skeleton, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return write.Holder ?? room;
    }

    /// <inheritdoc />
    public async ValueTask ForgetRoomAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        await WriteAsync(new ForgetRoomWrite(room), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask SetRoomSkeletonAsync(string room, string skeleton, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(skeleton);
        await WriteAsync(new SetRoomSkeletonWrite(room, skeleton), cancellationToken).ConfigureAwait(false);
    }

    // queues the write for the next commit and returns it once committed, with the engine's result on it
    private async Task<TWrite> WriteAsync<TWrite>(TWrite write, CancellationToken cancellationToken)
        where TWrite : StoreWrite
    {
        var pending = new PendingWrite(write);
        Queue(new Queued(null, pending));
        await pending.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        return write;
    }
}
