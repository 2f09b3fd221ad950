using PostgresWriteJob = Parley.Server.Storage.WriteJob<System.Func<Npgsql.NpgsqlConnection, Npgsql.NpgsqlTransaction, System.Threading.Tasks.Task<bool>>>;
using Npgsql;
using NpgsqlTypes;
using Parley.Protocol;
using Parley.Server.Storage;

namespace Parley.Server.Postgres;

public sealed partial class PostgresChatStore
{
    // Reserves n seqs of a conversation: the row lock it takes serializes writers of that conversation across nodes.
    private const string ReserveSeqsSql = """
        INSERT INTO conversations (conversation, last_seq) VALUES ($1, $2)
        ON CONFLICT (conversation) DO UPDATE SET last_seq = conversations.last_seq + EXCLUDED.last_seq
        RETURNING last_seq
        """;

    private const string InsertMessagesSql = """
        INSERT INTO messages (conversation, seq, ts, sender_key, from_name, to_name, text, client_id)
        SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
        """;

    // Everything below belongs to the writer loop.
    private readonly List<(PendingMessage Message, StoredMessage Stored)> committed = [];
    private readonly WriterHealth health = new();

    private long commitCount;

    /// <summary>
    /// The one writer of this node: takes everything queued (up to the batch size), writes it in one
    /// transaction, commits, and only then runs the callbacks, in queue order, so callbacks see <c>seq</c> order.
    /// </summary>
    private Task RunWriterAsync() =>
        writes.RunAsync(options.MaxBatchSize, WriteBatchAsync, error => Log.WriterFailed(logger, error));

    private async Task WriteBatchAsync(List<object> batch)
    {
        // one timestamp per commit: the messages are sequenced together
        var ts = Timestamps.TruncateToMilliseconds(timeProvider.GetUtcNow());
        committed.Clear();
        try
        {
            // a connection per batch from the pool: a connection the database dropped heals by itself
            var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    await InsertMessagesAsync(connection, transaction, batch, ts).ConfigureAwait(false);
                    foreach (var item in batch)
                    {
                        if (item is PostgresWriteJob job)
                        {
                            await RunJobAsync(job, connection, transaction).ConfigureAwait(false);
                        }
                    }
                    await transaction.CommitAsync().ConfigureAwait(false);
                }
            }
        }
        catch (Exception error)
        {
            // whatever the cause, the batch fails as a whole (it was rolled back) and the writer goes on
            FailBatch(batch, error);
            return;
        }

        Interlocked.Increment(ref commitCount);
        if (health.CommitSucceeded() is var failedBefore and > 0)
        {
            Log.CommitsRecovered(logger, failedBefore);
        }
        WriteQueue<Func<NpgsqlConnection, NpgsqlTransaction, Task<bool>>>.NotifyBatchCommitted(batch, committed, OnCommitCallbackFailed);
        committed.Clear();
    }

    private async Task InsertMessagesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<object> batch, DateTimeOffset ts)
    {
        var messages = batch.OfType<PendingMessage>().ToList();
        if (messages.Count == 0)
        {
            return;
        }
        var nextSeqs = await ReserveSeqsAsync(connection, transaction, messages).ConfigureAwait(false);

        var count = messages.Count;
        string[] conversations = new string[count], senders = new string[count], froms = new string[count],
            tos = new string[count], texts = new string[count], clientIds = new string[count];
        long[] seqs = new long[count], timestamps = new long[count];
        var unixMs = ts.ToUnixTimeMilliseconds();
        for (var i = 0; i < count; i++)
        {
            var message = messages[i];
            var seq = nextSeqs[message.ConversationKey]++;
            (conversations[i], seqs[i], timestamps[i]) = (message.ConversationKey, seq, unixMs);
            (senders[i], froms[i], tos[i], texts[i], clientIds[i]) = (message.SenderKey, message.From, message.To, message.Text, message.ClientId);
            committed.Add((message, new StoredMessage(message.ConversationKey, seq, ts, message.SenderKey, message.From, message.To, message.Text)));
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
        await ListDirectConversationsAsync(connection, transaction, unixMs).ConfigureAwait(false);
    }

    // each direct conversation of the batch under both parties, at its newest message, for their welcomes
    private async Task ListDirectConversationsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long unixMs)
    {
        var newest = new Dictionary<(string Identity, string Conversation), (string Other, string OtherName, long Seq)>();
        foreach (var (message, stored) in committed)
        {
            if (message.RecipientKey is { } recipient)
            {
                newest[(message.SenderKey, stored.ConversationKey)] = (recipient, message.To, stored.Seq);
                if (!string.Equals(recipient, message.SenderKey, StringComparison.Ordinal))
                {
                    newest[(recipient, stored.ConversationKey)] = (message.SenderKey, message.From, stored.Seq);
                }
            }
        }
        if (newest.Count == 0)
        {
            return;
        }
        // in key order, so that two nodes' writers lock the rows in the same order and cannot deadlock
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
            upsert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = unixMs });
            await upsert.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Takes the seqs the batch needs from each conversation's counter, in ordinal order of the
    /// conversations so that two nodes locking the same rows cannot deadlock; returns each
    /// conversation's first seq for this batch.
    /// </summary>
    private static async Task<Dictionary<string, long>> ReserveSeqsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<PendingMessage> messages)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            counts[message.ConversationKey] = counts.GetValueOrDefault(message.ConversationKey) + 1;
        }
        var reserve = new NpgsqlBatch(connection, transaction);
        await using (reserve.ConfigureAwait(false))
        {
            foreach (var (conversation, count) in counts)
            {
                var command = new NpgsqlBatchCommand(ReserveSeqsSql);
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = conversation });
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = count });
                reserve.BatchCommands.Add(command);
            }
            var firstSeqs = new Dictionary<string, long>(counts.Count, StringComparer.Ordinal);
            var reader = await reserve.ExecuteReaderAsync().ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                foreach (var (conversation, count) in counts)
                {
                    if (!await reader.ReadAsync().ConfigureAwait(false))
                    {
                        throw new InvalidOperationException($"PostgreSQL returned no seq for {conversation}.");
                    }
                    firstSeqs[conversation] = reader.GetInt64(0) - count + 1;
                    await reader.NextResultAsync().ConfigureAwait(false);
                }
            }
            return firstSeqs;
        }
    }

    /// <summary>Runs a job under a savepoint of its own, so that a job the database refuses fails alone.</summary>
    private static async Task RunJobAsync(PostgresWriteJob job, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        if (job.Work is null)
        {
            return;
        }
        await transaction.SaveAsync("job").ConfigureAwait(false);
        try
        {
            job.Ran(await job.Work(connection, transaction).ConfigureAwait(false));
        }
        catch (PostgresException error)
        {
            await transaction.RollbackAsync("job").ConfigureAwait(false);
            job.Refused(error);
        }
        await transaction.ReleaseAsync("job").ConfigureAwait(false);
    }

    private void FailBatch(List<object> batch, Exception error)
    {
        if (health.CommitFailed())
        {
            Log.CommitFailed(logger, batch.Count, error);
        }
        WriteQueue<Func<NpgsqlConnection, NpgsqlTransaction, Task<bool>>>.AbandonBatch(batch, error, OnFailureCallbackFailed);
        committed.Clear();
    }

    private void OnCommitCallbackFailed(StoredMessage failed, Exception error) =>
        Log.CommitCallbackFailed(logger, failed.ConversationKey, failed.Seq, error);

    private void OnFailureCallbackFailed(PendingMessage message, Exception error) =>
        Log.FailureCallbackFailed(logger, message.ConversationKey, error);
}
