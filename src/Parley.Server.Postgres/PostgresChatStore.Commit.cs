using Npgsql;
using NpgsqlTypes;
using Parley.Server.Storage;

namespace Parley.Server.Postgres;

public sealed partial class PostgresChatStore
{
    // Reserves n seqs of a conversation: the row lock it takes serializes the commits of that conversation across nodes.
    private const string ReserveSeqsSql = """
        INSERT INTO conversations (conversation, last_seq) VALUES ($1, $2)
        ON CONFLICT (conversation) DO UPDATE SET last_seq = conversations.last_seq + EXCLUDED.last_seq
        RETURNING last_seq
        """;

    private const string InsertMessagesSql = """
        INSERT INTO messages (conversation, seq, ts, sender_key, from_name, to_name, text, client_id)
        SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
        """;

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    /// <exception cref="InvalidOperationException">The store is not initialized.</exception>
    public async ValueTask CommitAsync(CommitBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var current = Volatile.Read(ref state);
        ObjectDisposedException.ThrowIf(current == Disposed, this);
        if (current != Open)
        {
            throw new InvalidOperationException("The store is not initialized.");
        }

        // a connection per batch from the pool: a connection the database dropped heals by itself
        var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // whatever fails before the commit rolls the whole batch back when the transaction is disposed
            var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                if (batch.Messages.Count > 0)
                {
                    await ReserveSeqsAsync(connection, transaction, batch).ConfigureAwait(false);
                    await InsertMessagesAsync(connection, transaction, batch).ConfigureAwait(false);
                    await ListDirectConversationsAsync(connection, transaction, batch).ConfigureAwait(false);
                }
                foreach (var write in batch.Writes)
                {
                    await ApplyUnderSavepointAsync(write, connection, transaction).ConfigureAwait(false);
                }
                await transaction.CommitAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Takes the seqs the batch needs from each conversation's counter, in ordinal order of the
    /// conversations so that two nodes locking the same rows cannot deadlock, and gives each
    /// conversation its first seq for this batch.
    /// </summary>
    private static async Task ReserveSeqsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CommitBatch batch)
    {
        var conversations = batch.Conversations;
        var keys = new string[conversations.Count];
        var order = new int[conversations.Count];
        for (var i = 0; i < order.Length; i++)
        {
            (keys[i], order[i]) = (conversations[i].Key, i);
        }
        Array.Sort(keys, order, StringComparer.Ordinal);

        var reserve = new NpgsqlBatch(connection, transaction);
        await using (reserve.ConfigureAwait(false))
        {
            foreach (var index in order)
            {
                var command = new NpgsqlBatchCommand(ReserveSeqsSql);
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = conversations[index].Key });
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = conversations[index].Count });
                reserve.BatchCommands.Add(command);
            }
            var reader = await reserve.ExecuteReaderAsync().ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                foreach (var index in order)
                {
                    var (key, count) = conversations[index];
                    if (!await reader.ReadAsync().ConfigureAwait(false))
                    {
                        throw new InvalidOperationException($"PostgreSQL returned no seq for {key}.");
                    }
                    batch.SetFirstSeq(index, reader.GetInt64(0) - count + 1);
                    await reader.NextResultAsync().ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task InsertMessagesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CommitBatch batch)
    {
        var messages = batch.Messages;
        var count = messages.Count;
        string[] conversations = new string[count], senders = new string[count], froms = new string[count],
            tos = new string[count], texts = new string[count], clientIds = new string[count];
        long[] seqs = new long[count], timestamps = new long[count];
        // one timestamp per commit: the messages are sequenced together
        var unixMs = batch.Timestamp.ToUnixTimeMilliseconds();
        for (var i = 0; i < count; i++)
        {
            var message = messages[i];
            (conversations[i], seqs[i], timestamps[i]) = (message.ConversationKey, batch.SeqOf(i), unixMs);
            (senders[i], froms[i], tos[i], texts[i], clientIds[i]) = (message.SenderKey, message.From, message.To, message.Text, message.ClientId);
        }

        var insert = new NpgsqlCommand(InsertMessagesSql, connection, transaction);
        await using (insert.ConfigureAwait(false))
        {
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = conversations, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = seqs, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = timestamps, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            foreach (var column in new[] { senders, froms, tos, texts, clientIds })
            {
                insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = column, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            }
            await insert.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    // each direct conversation of the batch under both parties, at its newest message, for their welcomes
    private static async Task ListDirectConversationsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CommitBatch batch)
    {
        var newest = new Dictionary<(string Identity, string Conversation), (string Other, string OtherName, long Seq)>();
        for (var i = 0; i < batch.Messages.Count; i++)
        {
            var message = batch.Messages[i];
            if (message.RecipientKey is { } recipient)
            {
                var seq = batch.SeqOf(i);
                newest[(message.SenderKey, message.ConversationKey)] = (recipient, message.To, seq);
                if (!string.Equals(recipient, message.SenderKey, StringComparison.Ordinal))
                {
                    newest[(recipient, message.ConversationKey)] = (message.SenderKey, message.From, seq);
                }
            }
        }
        if (newest.Count == 0)
        {
            return;
        }
        // in key order, so that two nodes' commits lock the rows in the same order and cannot deadlock
        var rows = newest.OrderBy(r => r.Key.Identity, StringComparer.Ordinal).ThenBy(r => r.Key.Conversation, StringComparer.Ordinal).ToList();
        var upsert = new NpgsqlCommand("""
            INSERT INTO direct_conversations (identity, conversation, other_identity, other_name, last_seq, last_ts)
            SELECT i, c, o, n, s, $6 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) AS r(i, c, o, n, s)
            ON CONFLICT (identity, conversation) DO UPDATE
            SET other_name = EXCLUDED.other_name, last_seq = greatest(direct_conversations.last_seq, EXCLUDED.last_seq), last_ts = EXCLUDED.last_ts
            """, connection, transaction);
        await using (upsert.ConfigureAwait(false))
        {
            upsert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. rows.Select(r => r.Key.Identity)] });
            upsert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. rows.Select(r => r.Key.Conversation)] });
            upsert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. rows.Select(r => r.Value.Other)] });
            upsert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. rows.Select(r => r.Value.OtherName)] });
            upsert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. rows.Select(r => r.Value.Seq)] });
            upsert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = batch.Timestamp.ToUnixTimeMilliseconds() });
            await upsert.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Applies a write under a savepoint of its own, so that a write the database refuses fails alone.</summary>
    private static async Task ApplyUnderSavepointAsync(StoreWrite write, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        await transaction.SaveAsync("write").ConfigureAwait(false);
        try
        {
            await (write switch
            {
                CreateAccountWrite w => ApplyAsync(w, connection, transaction),
                SaveAccountRoomsWrite w => ApplyAsync(w, connection, transaction),
                UpdateAccountNameWrite w => ApplyAsync(w, connection, transaction),
                SaveTokenWrite w => ApplyAsync(w, connection, transaction),
                TouchTokenWrite w => ApplyAsync(w, connection, transaction),
                RevokeTokenWrite w => ApplyAsync(w, connection, transaction),
                DeleteTokensUnusedSinceWrite w => ApplyAsync(w, connection, transaction),
                ClaimRoomWrite w => ApplyAsync(w, connection, transaction),
                ForgetRoomWrite w => ApplyAsync(w, connection, transaction),
                SetRoomSkeletonWrite w => ApplyAsync(w, connection, transaction),
                _ => throw new NotSupportedException($"The PostgreSQL store cannot apply a {write.GetType().Name}."),
            }).ConfigureAwait(false);
        }
        catch (PostgresException error)
        {
            await transaction.RollbackAsync("write").ConfigureAwait(false);
            write.Refusal = error;
        }
        await transaction.ReleaseAsync("write").ConfigureAwait(false);
    }

    // one statement in the commit's transaction, its parameters in order ($1, $2, …); returns the rows it changed
    private static async Task<int> RunWriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, object[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }
            return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }
}
