using Microsoft.Data.Sqlite;
using Parley.Protocol;

namespace Parley.Server.Storage.Sqlite;

public sealed partial class SqliteChatStore
{
    // Everything below belongs to the writer loop: only it touches these after InitializeAsync.
    private readonly Dictionary<string, long> lastSeqs = new(StringComparer.Ordinal);
    private readonly List<(PendingMessage Message, StoredMessage Stored)> committed = [];
    private SqliteCommand? insertMessage;
    private SqliteCommand? selectLastSeq;
    private int consecutiveFailures;

    private long commitCount;
    private volatile bool writerFailing;

    /// <summary>
    /// The one writer: takes everything queued (up to the batch size), writes it in one transaction,
    /// commits, and only then runs the callbacks, in queue order, so callbacks see <c>seq</c> order.
    /// </summary>
    private async Task RunWriterAsync()
    {
        var reader = writes.Reader;
        var batch = new List<object>(Math.Min(options.MaxBatchSize, 1024));
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < options.MaxBatchSize && reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            try
            {
                WriteBatch(batch);
            }
            catch (Exception error)
            {
                // the loop must outlive any error, or every later write would hang
                Log.WriterFailed(logger, error);
            }
            batch.Clear();
        }
    }

    private void WriteBatch(List<object> batch)
    {
        // one timestamp per commit: the messages are sequenced together
        var ts = Timestamps.TruncateToMilliseconds(timeProvider.GetUtcNow());
        committed.Clear();
        SqliteTransaction? transaction = null;
        try
        {
            transaction = writeConnection!.BeginTransaction();
            insertMessage!.Transaction = transaction;
            selectLastSeq!.Transaction = transaction;
            foreach (var item in batch)
            {
                if (item is PendingMessage message)
                {
                    committed.Add((message, Insert(message, ts)));
                }
                else
                {
                    RunJob((WriteJob)item, transaction);
                }
            }
            transaction.Commit();
        }
        catch (Exception error)
        {
            // whatever the cause, the batch fails as a whole and the writer goes on
            RollBackQuietly(transaction);
            transaction = null;
            FailBatch(batch, error);
            return;
        }
        finally
        {
            transaction?.Dispose();
        }

        Interlocked.Increment(ref commitCount);
        if (consecutiveFailures > 0)
        {
            Log.CommitsRecovered(logger, consecutiveFailures);
            consecutiveFailures = 0;
            writerFailing = false;
        }
        foreach (var (message, stored) in committed)
        {
            NotifyCommitted(message, stored);
        }
        committed.Clear();
        foreach (var item in batch)
        {
            (item as WriteJob)?.Complete();
        }
    }

    private StoredMessage Insert(PendingMessage message, DateTimeOffset ts)
    {
        var conversation = message.ConversationKey;
        if (!lastSeqs.TryGetValue(conversation, out var lastSeq))
        {
            lastSeq = LoadLastSeq(conversation);
        }
        var seq = lastSeq + 1;

        var parameters = insertMessage!.Parameters;
        parameters["$conversation"].Value = conversation;
        parameters["$seq"].Value = seq;
        parameters["$ts"].Value = ts.ToUnixTimeMilliseconds();
        parameters["$sender_key"].Value = message.SenderKey;
        parameters["$from_name"].Value = message.From;
        parameters["$to_name"].Value = message.To;
        parameters["$text"].Value = message.Text;
        parameters["$client_id"].Value = message.ClientId;
        insertMessage.ExecuteNonQuery();

        lastSeqs[conversation] = seq;
        return new StoredMessage(conversation, seq, ts, message.From, message.To, message.Text);
    }

    private long LoadLastSeq(string conversation)
    {
        selectLastSeq!.Parameters["$conversation"].Value = conversation;
        return selectLastSeq.ExecuteScalar() is long seq ? seq : 0;
    }

    /// <summary>Runs a job under a savepoint of its own, so that a job the database refuses fails alone.</summary>
    private static void RunJob(WriteJob job, SqliteTransaction transaction)
    {
        if (!job.HasWork)
        {
            return;
        }
        transaction.Save("job");
        try
        {
            job.Run(transaction);
        }
        catch (SqliteException error)
        {
            transaction.Rollback("job");
            job.Refused(error);
        }
        transaction.Release("job");
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
        writerFailing = true;
        if (consecutiveFailures++ == 0)
        {
            Log.CommitFailed(logger, batch.Count, error);
        }
        foreach (var item in batch)
        {
            Abandon(item, error);
        }
        committed.Clear();
    }

    private static void RollBackQuietly(SqliteTransaction? transaction)
    {
        if (transaction is null)
        {
            return;
        }
        try
        {
            transaction.Rollback();
        }
        catch (Exception error) when (error is SqliteException or InvalidOperationException)
        {
            // SQLite may have rolled back on its own already (a full disk, an I/O error)
        }
        try
        {
            transaction.Dispose();
        }
        catch (SqliteException)
        {
            // nothing more to undo
        }
    }

    private void NotifyCommitted(PendingMessage message, StoredMessage stored)
    {
        try
        {
            message.OnCommitted(stored);
        }
        catch (Exception error)
        {
            // a callback must not throw; if one does, the writer and the other callbacks go on
            Log.CommitCallbackFailed(logger, stored.ConversationKey, stored.Seq, error);
        }
    }

    private void Abandon(object item, Exception error)
    {
        if (item is WriteJob job)
        {
            job.Abandon(error);
            return;
        }
        var message = (PendingMessage)item;
        try
        {
            message.OnFailed(error);
        }
        catch (Exception callbackError)
        {
            // as in NotifyCommitted
            Log.FailureCallbackFailed(logger, message.ConversationKey, callbackError);
        }
    }

    private void PrepareWriterCommands(SqliteConnection connection)
    {
        insertMessage = connection.CreateCommand();
        insertMessage.CommandText = """
            INSERT INTO messages (conversation, seq, ts, sender_key, from_name, to_name, text, client_id)
            VALUES ($conversation, $seq, $ts, $sender_key, $from_name, $to_name, $text, $client_id)
            """;
        insertMessage.Parameters.Add("$conversation", SqliteType.Text);
        insertMessage.Parameters.Add("$seq", SqliteType.Integer);
        insertMessage.Parameters.Add("$ts", SqliteType.Integer);
        insertMessage.Parameters.Add("$sender_key", SqliteType.Text);
        insertMessage.Parameters.Add("$from_name", SqliteType.Text);
        insertMessage.Parameters.Add("$to_name", SqliteType.Text);
        insertMessage.Parameters.Add("$text", SqliteType.Text);
        insertMessage.Parameters.Add("$client_id", SqliteType.Text);
        insertMessage.Prepare();

        selectLastSeq = connection.CreateCommand();
        selectLastSeq.CommandText = "SELECT MAX(seq) FROM messages WHERE conversation = $conversation";
        selectLastSeq.Parameters.Add("$conversation", SqliteType.Text);
        selectLastSeq.Prepare();
    }

    private void DisposeWriterCommands()
    {
        insertMessage?.Dispose();
        insertMessage = null;
        selectLastSeq?.Dispose();
        selectLastSeq = null;
    }

    /// <summary>
    /// A write other than a message (an account, its rooms) or a flush marker, queued with the
    /// messages so that one connection does every write. It completes after its batch commits.
    /// </summary>
    private sealed class WriteJob(Func<SqliteTransaction, bool>? work)
    {
        private readonly TaskCompletionSource<bool> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool result;
        private Exception? refusal;

        public Task<bool> Completion => completion.Task;

        public bool HasWork => work is not null;

        public void Run(SqliteTransaction transaction) => result = work!(transaction);

        public void Refused(Exception error) => refusal = error;

        public void Complete()
        {
            if (refusal is null)
            {
                completion.TrySetResult(result);
            }
            else
            {
                completion.TrySetException(refusal);
            }
        }

        /// <summary>The batch was not committed; a flush marker still completes, since its messages had their callbacks.</summary>
        public void Abandon(Exception error)
        {
            if (work is null)
            {
                completion.TrySetResult(false);
            }
            else
            {
                completion.TrySetException(error);
            }
        }
    }
}
