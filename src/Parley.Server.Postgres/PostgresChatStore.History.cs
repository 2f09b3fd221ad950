using Npgsql;
using Parley.Server.Storage;

namespace Parley.Server.Postgres;

public sealed partial class PostgresChatStore
{
    /// <inheritdoc />
    public async ValueTask<StoredMessage?> FindAckAsync(string senderKey, string clientId, DateTimeOffset notBefore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(senderKey);
        ArgumentNullException.ThrowIfNull(clientId);
        var command = dataSource.CreateCommand($"""
            SELECT {StoreRows.MessageColumns} FROM messages
            WHERE sender_key = $1 AND client_id = $2 AND ts >= $3
            ORDER BY ts DESC LIMIT 1
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = senderKey });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clientId });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StoreRows.CeilingToUnixMilliseconds(notBefore) });
            var messages = await StoreRows.ReadMessagesAsync(command, cancellationToken).ConfigureAwait(false);
            return messages.Count == 0 ? null : messages[0];
        }
    }

    /// <inheritdoc />
    public async ValueTask<HistoryPage> ReadHistoryAsync(string conversationKey, long? before, long? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var forward = after is not null && before is null;
        // One row more than asked tells whether more exist in the paging direction.
        var command = dataSource.CreateCommand(forward
            ? $"""
              SELECT {StoreRows.MessageColumns} FROM messages
              WHERE conversation = $1 AND seq > $3 AND seq < $2
              ORDER BY seq LIMIT $4
              """
            : $"""
              SELECT {StoreRows.MessageColumns} FROM messages
              WHERE conversation = $1 AND seq < $2 AND seq > $3
              ORDER BY seq DESC LIMIT $4
              """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = conversationKey });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = before ?? long.MaxValue });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after ?? 0L });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = limit + 1L });
            var messages = await StoreRows.ReadMessagesAsync(command, cancellationToken).ConfigureAwait(false);
            return StoreRows.ToPage(messages, limit, forward);
        }
    }
}
