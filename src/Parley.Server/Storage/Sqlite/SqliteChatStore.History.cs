using Microsoft.Data.Sqlite;

namespace Parley.Server.Storage.Sqlite;

public sealed partial class SqliteChatStore
{
    /// <inheritdoc />
    public ValueTask<StoredMessage?> FindAckAsync(string senderKey, string clientId, DateTimeOffset notBefore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(senderKey);
        ArgumentNullException.ThrowIfNull(clientId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(LookUp(
            (SenderKey: senderKey, ClientId: clientId, NotBefore: StoreRows.CeilingToUnixMilliseconds(notBefore)),
            static (lookups, args) =>
            {
                var find = lookups.FindAck;
                using (find.Run())
                {
                    find.Bind(1, args.SenderKey);
                    find.Bind(2, args.ClientId);
                    find.Bind(3, args.NotBefore);
                    // the columns of StoreRows.MessageColumns, in order
                    return find.Step()
                        ? new StoredMessage(find.Text(0), find.Int64(1), DateTimeOffset.FromUnixTimeMilliseconds(find.Int64(2)), find.Text(3), find.Text(4), find.Text(5), find.Text(6))
                        : null;
                }
            }));
    }

    /// <inheritdoc />
    public ValueTask<bool> HasSentSinceAsync(string senderKey, DateTimeOffset notBefore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(senderKey);
        cancellationToken.ThrowIfCancellationRequested();
        var notBeforeMs = StoreRows.CeilingToUnixMilliseconds(notBefore);
        if (KnownNotToHaveSent(senderKey, notBeforeMs))
        {
            return ValueTask.FromResult(false);
        }
        return ValueTask.FromResult(LookUp(
            (SenderKey: senderKey, NotBefore: notBeforeMs),
            static (lookups, args) =>
            {
                var hasSent = lookups.HasSentSince;
                using (hasSent.Run())
                {
                    hasSent.Bind(1, args.SenderKey);
                    hasSent.Bind(2, args.NotBefore);
                    return hasSent.Step();
                }
            }));
    }

    /// <inheritdoc />
    public async ValueTask<HistoryPage> ReadHistoryAsync(string conversationKey, long? before, long? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var forward = after is not null && before is null;
        var connection = await OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            // One row more than asked tells whether more exist in the paging direction.
            command.CommandText = forward
                ? $"""
                  SELECT {StoreRows.MessageColumns} FROM messages
                  WHERE conversation = $conversation AND seq > $after
                  ORDER BY seq LIMIT $limit
                  """
                : $"""
                  SELECT {StoreRows.MessageColumns} FROM messages
                  WHERE conversation = $conversation AND seq < $before AND seq > $after
                  ORDER BY seq DESC LIMIT $limit
                  """;
            command.Parameters.AddWithValue("$conversation", conversationKey);
            command.Parameters.AddWithValue("$before", before ?? long.MaxValue);
            command.Parameters.AddWithValue("$after", after ?? 0L);
            command.Parameters.AddWithValue("$limit", limit + 1L);
            var messages = await StoreRows.ReadMessagesAsync(command, cancellationToken).ConfigureAwait(false);
            return StoreRows.ToPage(messages, limit, forward);
        }
    }
}
