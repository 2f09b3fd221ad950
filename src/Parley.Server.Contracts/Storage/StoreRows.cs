using System.Data.Common;

namespace Parley.Server.Storage;

/// <summary>Reading rows the way every store lays them out, whatever the database: messages and accounts.</summary>
public static class StoreRows
{
    /// <summary>The columns <see cref="ReadMessagesAsync"/> expects, in order.</summary>
    public const string MessageColumns = "conversation, seq, ts, sender_key, from_name, to_name, text";

    /// <summary>
    /// Timestamps are stored in whole unix milliseconds: a message "at or after" a time inside a
    /// millisecond is in the next one.
    /// </summary>
    public static long CeilingToUnixMilliseconds(DateTimeOffset time) =>
        time.ToUnixTimeMilliseconds() + (time.UtcTicks % TimeSpan.TicksPerMillisecond > 0 ? 1 : 0);

    /// <summary>Runs <paramref name="command"/>, which selects <see cref="MessageColumns"/>, and reads every row.</summary>
    public static async Task<List<StoredMessage>> ReadMessagesAsync(DbCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var messages = new List<StoredMessage>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                messages.Add(new StoredMessage(
                    ConversationKey: reader.GetString(0),
                    Seq: reader.GetInt64(1),
                    Ts: DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                    SenderKey: reader.GetString(3),
                    From: reader.GetString(4),
                    To: reader.GetString(5),
                    Text: reader.GetString(6)));
            }
        }
        return messages;
    }

    /// <summary>
    /// The page from rows read with one more than <paramref name="limit"/> (which tells whether more
    /// exist): oldest first, whether the query read <paramref name="forward"/> (ascending) or not.
    /// </summary>
    public static HistoryPage ToPage(List<StoredMessage> messages, int limit, bool forward)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var more = messages.Count > limit;
        if (more)
        {
            messages.RemoveAt(messages.Count - 1);
        }
        if (!forward)
        {
            messages.Reverse();
        }
        return new HistoryPage(messages, more);
    }

    /// <summary>The columns <see cref="ReadAccountAsync"/> expects, in order, of the accounts table <c>a</c> and its rooms <c>r</c>.</summary>
    public const string AccountColumns = "a.identity, a.user_key, a.skeleton, a.name, a.password_hash, r.room";

    /// <summary>
    /// Runs <paramref name="command"/>, which selects <see cref="AccountColumns"/> (one row per room, a null
    /// room without rooms), and reads the account, or null when there is no row.
    /// </summary>
    public static async Task<Account?> ReadAccountAsync(DbCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
            var (identity, userKey, skeleton, name, passwordHash) =
                (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));
            var rooms = new List<string>();
            do
            {
                if (!reader.IsDBNull(5))
                {
                    rooms.Add(reader.GetString(5));
                }
            }
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false));
            return new Account(identity, userKey, skeleton, name, passwordHash, rooms);
        }
    }
}
