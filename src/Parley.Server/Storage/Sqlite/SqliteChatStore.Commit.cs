using Microsoft.Data.Sqlite;

namespace Parley.Server.Storage.Sqlite;

public sealed partial class SqliteChatStore
{
    // Everything below belongs to CommitAsync: only one commit runs at a time, after InitializeAsync.
    private readonly Dictionary<string, long> lastSeqs = new(StringComparer.Ordinal);
    private SqliteStatement? insertMessage;
    private SqliteStatement? selectLastSeq;
    private SqliteStatement? upsertDirect;
    private SqliteWriterTransaction? transaction;

    /// <inheritdoc />
    /// <remarks>
    /// Synchronous inside: SQLite's calls block (the commit waits for fsync), which is why the pipeline
    /// makes them on a thread of its own. A failure is thrown from the call itself.
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    /// <exception cref="InvalidOperationException">The store is not initialized.</exception>
    /// <exception cref="SqliteException">The batch was not committed; nothing of it is stored.</exception>
    public ValueTask CommitAsync(CommitBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var current = Volatile.Read(ref state);
        ObjectDisposedException.ThrowIf(current == Disposed, this);
        if (current != Open)
        {
            throw new InvalidOperationException("The store is not initialized.");
        }

        var batchTransaction = transaction!;
        var conversations = batch.Conversations;
        try
        {
            batchTransaction.Begin();
            for (var i = 0; i < conversations.Count; i++)
            {
                var key = conversations[i].Key;
                var first = (lastSeqs.TryGetValue(key, out var lastSeq) ? lastSeq : LoadLastSeq(key)) + 1;
                batch.SetFirstSeq(i, first);
            }
            var messages = batch.Messages;
            for (var j = 0; j < messages.Count; j++)
            {
                InsertMessage(messages[j], batch.SeqOf(j), batch.Timestamp);
            }
            foreach (var write in batch.Writes)
            {
                ApplyUnderSavepoint(write);
            }
            batchTransaction.Commit();
        }
        catch
        {
            // the batch fails as a whole; what is remembered of its conversations may be wrong now, the database knows the truth
            batchTransaction.RollBackQuietly();
            foreach (var (key, _) in conversations)
            {
                lastSeqs.Remove(key);
            }
            throw;
        }

        // only once committed: a batch rolled back must leave nothing of itself remembered
        for (var i = 0; i < conversations.Count; i++)
        {
            lastSeqs[conversations[i].Key] = batch.LastSeqOf(i);
        }
        NoteRecentSenders(batch);
        return default;
    }

    private void InsertMessage(PendingMessage message, long seq, DateTimeOffset ts)
    {
        var conversation = message.ConversationKey;
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

    /// <summary>Applies a write under a savepoint of its own, so that a write the database refuses fails alone.</summary>
    private void ApplyUnderSavepoint(StoreWrite write)
    {
        var batchTransaction = transaction!;
        batchTransaction.Save();
        try
        {
            Apply(write);
        }
        catch (SqliteException error) when (batchTransaction.IsOpen)
        {
            // a write the database refused fails alone; one after which SQLite rolled back the whole
            // batch on its own (a full disk, an I/O error) fails the batch with its own error
            batchTransaction.RollBackToSave();
            write.Refusal = error;
        }
        batchTransaction.Release();
    }

    private void Apply(StoreWrite write)
    {
        switch (write)
        {
            case CreateAccountWrite createAccount:
                Apply(createAccount);
                break;
            case SaveAccountRoomsWrite saveAccountRooms:
                Apply(saveAccountRooms);
                break;
            case UpdateAccountNameWrite updateAccountName:
                Apply(updateAccountName);
                break;
            case SaveTokenWrite saveToken:
                Apply(saveToken);
                break;
            case TouchTokenWrite touchToken:
                Apply(touchToken);
                break;
            case RevokeTokenWrite revokeToken:
                Apply(revokeToken);
                break;
            case DeleteTokensUnusedSinceWrite deleteTokens:
                Apply(deleteTokens);
                break;
            case ClaimRoomWrite claimRoom:
                Apply(claimRoom);
                break;
            case ForgetRoomWrite forgetRoom:
                Apply(forgetRoom);
                break;
            case SetRoomSkeletonWrite setRoomSkeleton:
                Apply(setRoomSkeleton);
                break;
            default:
                throw new NotSupportedException($"The SQLite store cannot apply a {write.GetType().Name}.");
        }
    }

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
