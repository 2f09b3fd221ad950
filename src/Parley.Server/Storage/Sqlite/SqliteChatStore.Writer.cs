using SqliteWriteJob = Parley.Server.Storage.WriteJob<System.Func<Microsoft.Data.Sqlite.SqliteConnection, bool>>;
using Microsoft.Data.Sqlite;
using Parley.Protocol;

namespace Parley.Server.Storage.Sqlite;

public sealed partial class SqliteChatStore
{
    // Everything below belongs to the writer loop: only it touches these after InitializeAsync.
    private readonly Dictionary<string, long> lastSeqs = new(StringComparer.Ordinal);
    private readonly List<(PendingMessage Message, StoredMessage Stored)> committed = [];
    private SqliteStatement? insertMessage;
    private SqliteStatement? selectLastSeq;
    private SqliteStatement? upsertDirect;
    private SqliteWriterTransaction? transaction;
    private readonly WriterHealth health = new();

    private long commitCount;

    /// <summary>
    /// The one writer: takes everything queued (up to the batch size), writes it in one transaction,
    /// commits, and only then runs the callbacks, in queue order, so callbacks see <c>seq</c> order.
    /// </summary>
    // SQLite's calls block (the commit waits for fsync), so the writer has a thread of its own: it is
    // woken directly when a send arrives instead of queueing behind every connection's work in the
    // thread pool, and its fsync never holds one of the pool's few threads
    private Task StartWriterThread()
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                writes.RunBlocking(options.MaxBatchSize, WriteBatch, error => Log.WriterFailed(logger, error));
                finished.SetResult();
            }
            catch (Exception error)
            {
                finished.SetException(error);
            }
        })
        {
            IsBackground = true,
            Name = "parley-sqlite-writer",
        };
        thread.Start();
        return finished.Task;
    }

    private void WriteBatch(List<object> batch)
    {
        // one timestamp per commit: the messages are sequenced together
        var ts = Timestamps.TruncateToMilliseconds(timeProvider.GetUtcNow());
        committed.Clear();
        var batchTransaction = transaction!;
        try
        {
            batchTransaction.Begin();
            foreach (var item in batch)
            {
                if (item is PendingMessage message)
                {
                    committed.Add((message, Insert(message, ts)));
                }
                else
                {
                    RunJob((SqliteWriteJob)item);
                }
            }
            batchTransaction.Commit();
        }
        catch (Exception error)
        {
            // whatever the cause, the batch fails as a whole and the writer goes on
            batchTransaction.RollBackQuietly();
            FailBatch(batch, error);
            return;
        }

        NoteRecentSenders();
        Interlocked.Increment(ref commitCount);
        if (health.CommitSucceeded() is var failedBefore and > 0)
        {
            Log.CommitsRecovered(logger, failedBefore);
        }
        WriteQueue<Func<SqliteConnection, bool>>.NotifyBatchCommitted(batch, committed, OnCommitCallbackFailed);
        committed.Clear();
    }

    private StoredMessage Insert(PendingMessage message, DateTimeOffset ts)
    {
        var conversation = message.ConversationKey;
        if (!lastSeqs.TryGetValue(conversation, out var lastSeq))
        {
            lastSeq = LoadLastSeq(conversation);
        }
        var seq = lastSeq + 1;

        var insert = insertMessage!;
        using (insert.Run())
        {
            insert.Bind(1, conversation);
            insert.Bind(2, seq);
            insert.Bind(3, ts.ToUnixTimeMilliseconds());
            insert.Bind(4, message.SenderKey);
            insert.Bind(5, message.From);
            insert.Bind(6, message.To);
            insert.Bind(7, message.Text);
            insert.Bind(8, message.ClientId);
            insert.Step();
        }

        if (message.RecipientKey is { } recipient)
        {
            ListDirect(message.SenderKey, conversation, recipient, message.To, seq, ts);
            if (!string.Equals(recipient, message.SenderKey, StringComparison.Ordinal))
            {
                ListDirect(recipient, conversation, message.SenderKey, message.From, seq, ts);
            }
        }

        lastSeqs[conversation] = seq;
        return new StoredMessage(conversation, seq, ts, message.SenderKey, message.From, message.To, message.Text);
    }

    // the direct conversation as one party lists it in its welcome
    private void ListDirect(string identity, string conversation, string other, string otherName, long seq, DateTimeOffset ts)
    {
        var upsert = upsertDirect!;
        using (upsert.Run())
        {
            upsert.Bind(1, identity);
            upsert.Bind(2, conversation);
            upsert.Bind(3, other);
            upsert.Bind(4, otherName);
            upsert.Bind(5, seq);
            upsert.Bind(6, ts.ToUnixTimeMilliseconds());
            upsert.Step();
        }
    }

    private long LoadLastSeq(string conversation)
    {
        var select = selectLastSeq!;
        using (select.Run())
        {
            select.Bind(1, conversation);
            return select.Step() && !select.IsNull(0) ? select.Int64(0) : 0;
        }
    }

    /// <summary>Runs a job under a savepoint of its own, so that a job the database refuses fails alone.</summary>
    private void RunJob(SqliteWriteJob job)
    {
        if (job.Work is null)
        {
            return;
        }
        var batchTransaction = transaction!;
        batchTransaction.Save();
        try
        {
            job.Ran(job.Work(writeConnection!));
        }
        catch (SqliteException error) when (batchTransaction.IsOpen)
        {
            // a job the database refused fails alone; one after which SQLite rolled back the whole
            // batch on its own (a full disk, an I/O error) fails the batch with its own error
            batchTransaction.RollBackToSave();
            job.Refused(error);
        }
        batchTransaction.Release();
    }

    private void FailBatch(List<object> batch, Exception error)
    {
        // The counters may have moved past what was rolled back; the database knows the truth.
        foreach (var item in batch)
        {
            if (item is PendingMessage message)
            {
                lastSeqs.Remove(message.ConversationKey);
            }
        }
        if (health.CommitFailed())
        {
            Log.CommitFailed(logger, batch.Count, error);
        }
        WriteQueue<Func<SqliteConnection, bool>>.AbandonBatch(batch, error, OnFailureCallbackFailed);
        committed.Clear();
    }

    private void OnCommitCallbackFailed(StoredMessage failed, Exception error) =>
        Log.CommitCallbackFailed(logger, failed.ConversationKey, failed.Seq, error);

    private void OnFailureCallbackFailed(PendingMessage message, Exception error) =>
        Log.FailureCallbackFailed(logger, message.ConversationKey, error);

    private void PrepareWriterStatements(SqliteConnection connection)
    {
        insertMessage = new SqliteStatement(connection, """
            INSERT INTO messages (conversation, seq, ts, sender_key, from_name, to_name, text, client_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """);
        selectLastSeq = new SqliteStatement(connection, "SELECT MAX(seq) FROM messages WHERE conversation = ?1");
        upsertDirect = new SqliteStatement(connection, """
            INSERT INTO direct_conversations (identity, conversation, other_identity, other_name, last_seq, last_ts)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (identity, conversation) DO UPDATE
            SET other_name = excluded.other_name, last_seq = excluded.last_seq, last_ts = excluded.last_ts
            """);
        transaction = new SqliteWriterTransaction(connection);
    }

    private void DisposeWriterStatements()
    {
        insertMessage?.Dispose();
        insertMessage = null;
        selectLastSeq?.Dispose();
        selectLastSeq = null;
        upsertDirect?.Dispose();
        upsertDirect = null;
        transaction?.Dispose();
        transaction = null;
    }
}
