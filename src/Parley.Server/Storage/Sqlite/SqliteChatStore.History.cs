using Microsoft.Data.Sqlite;

namespace Parley.Server.Storage.Sqlite;

public sealed partial class SqliteChatStore
{
    /// <inheritdoc />
    public async ValueTask<StoredMessage?> FindAckAsync(string senderKey, string clientId, DateTimeOffset notBefore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(senderKey);
        ArgumentNullException.ThrowIfNull(clientId);
        return await LookUpAsync(
            (SenderKey: senderKey, ClientId: clientId, NotBefore: StoreRows.CeilingToUnixMilliseconds(notBefore)),
            static async (lookups, args, cancellationToken) =>
            {
                var command = lookups.FindAck;
                command.Parameters["$sender_key"].Value = args.SenderKey;
                command.Parameters["$client_id"].Value = args.ClientId;
                command.Parameters["$not_before"].Value = args.NotBefore;
                var messages = await StoreRows.ReadMessagesAsync(command, cancellationToken).ConfigureAwait(false);
                return messages.Count == 0 ? null : messages[0];
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> HasSentSinceAsync(string senderKey, DateTimeOffset notBefore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(senderKey);
        var notBeforeMs = StoreRows.CeilingToUnixMilliseconds(notBefore);
        if (KnownNotToHaveSent(senderKey, notBeforeMs))
        {
            return false;
        }
        return await LookUpAsync(
            (SenderKey: senderKey, NotBefore: notBeforeMs),
            static async (lookups, args, cancellationToken) =>
            {
                var command = lookups.HasSentSince;
                command.Parameters["$sender_key"].Value = args.SenderKey;
                command.Parameters["$not_before"].Value = args.NotBefore;
                return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
            },
            cancellationToken).ConfigureAwait(false);
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
