using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Parley.Server.Storage.Sqlite;

public sealed partial class SqliteChatStore
{
    // Read connections that keep the two look-ups of a send's path prepared. Once a user's acks have
    // left the ledger's memory every send of theirs asks whether its id was acked before, so the
    // query must not be parsed, planned and given a fresh pooled connection each time: that was an
    // eighth of the server's CPU with 10,000 sends a second.
    private readonly ConcurrentBag<SendLookups> idleLookups = [];
    // kept for reuse at most: the look-ups run on the thread pool, a few at a time
    private static readonly int MaxIdleLookups = Environment.ProcessorCount * 2;
    private int idleLookupCount;

    /// <summary>A read-only connection of its own with the two statements prepared on it.</summary>
    private sealed class SendLookups : IDisposable
    {
        private readonly SqliteConnection connection;

        public SendLookups(string connectionString, string busyTimeoutPragma)
        {
            connection = new SqliteConnection(connectionString);
            try
            {
                connection.Open();
                using (var pragma = connection.CreateCommand())
                {
                    pragma.CommandText = busyTimeoutPragma;
                    pragma.ExecuteNonQuery();
                }
                FindAck = new SqliteStatement(connection, $"""
                    SELECT {StoreRows.MessageColumns} FROM messages
                    WHERE sender_key = ?1 AND client_id = ?2 AND ts >= ?3
                    ORDER BY ts DESC LIMIT 1
                    """);
                HasSentSince = new SqliteStatement(connection, "SELECT 1 FROM messages WHERE sender_key = ?1 AND ts >= ?2 LIMIT 1");
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        /// <summary>The newest message of a sender (?1) with a client id (?2), at or after a time (?3, unix ms).</summary>
        public SqliteStatement FindAck { get; } = null!;

        /// <summary>Whether a sender (?1) has a message at or after a time (?2, unix ms).</summary>
        public SqliteStatement HasSentSince { get; } = null!;

        public void Dispose()
        {
            FindAck?.Dispose();
            HasSentSince?.Dispose();
            connection.Dispose();
        }
    }

    /// <summary>
    /// Runs one look-up on a kept connection (a new one when none is free); a look-up that failed is not
    /// trusted again: its connection is closed, and the next one opens afresh.
    /// </summary>
    /// <remarks>SQLite's calls do not wait on anything but the disk: the look-up runs on the caller's thread.</remarks>
    private T LookUp<TArgs, T>(TArgs args, Func<SendLookups, TArgs, T> lookUp)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref state) == Disposed, this);
        if (idleLookups.TryTake(out var lookups))
        {
            Interlocked.Decrement(ref idleLookupCount);
        }
        else
        {
            lookups = new SendLookups(lookupConnectionString, busyTimeoutPragma);
        }
        T result;
        try
        {
            result = lookUp(lookups, args);
        }
        catch
        {
            lookups.Dispose();
            throw;
        }
        KeepLookups(lookups);
        return result;
    }

    private void KeepLookups(SendLookups lookups)
    {
        if (Interlocked.Increment(ref idleLookupCount) > MaxIdleLookups)
        {
            Interlocked.Decrement(ref idleLookupCount);
            lookups.Dispose();
            return;
        }
        idleLookups.Add(lookups);
        // disposed meanwhile: the store's disposal may have emptied the bag before this one came back
        if (Volatile.Read(ref state) == Disposed)
        {
            DisposeLookups();
        }
    }

    private void DisposeLookups()
    {
        while (idleLookups.TryTake(out var lookups))
        {
            Interlocked.Decrement(ref idleLookupCount);
            lookups.Dispose();
        }
    }
}
