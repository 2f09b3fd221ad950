using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Parley.Server.Storage.Sqlite;

public sealed partial class SqliteChatStore
{
    /// <summary>How far back the store remembers who sent: the protocol's idempotency window.</summary>
    internal static readonly TimeSpan RecentSendersWindow = TimeSpan.FromHours(24);

    // Everyone who sent a message at or after recentSince: loaded when the store opens, then kept up
    // by each commit before the pipeline sends any of its acks. Who is not in it has not sent since then, so the first
    // send of a new session needs no query: after a restart, ten thousand users reconnecting and
    // sending at once would otherwise make ten thousand reads queue up in front of their first acks.
    private readonly ConcurrentDictionary<string, bool> recentSenders = new(StringComparer.Ordinal);
    private long recentSinceMs = long.MaxValue;

    /// <summary>True when the sender cannot have sent since <paramref name="notBeforeMs"/>: no query needed.</summary>
    private bool KnownNotToHaveSent(string senderKey, long notBeforeMs) =>
        notBeforeMs >= Volatile.Read(ref recentSinceMs) && !recentSenders.ContainsKey(senderKey);

    // before the store is open: no commit can slip between the load and the commits' own additions
    private void LoadRecentSenders(SqliteConnection connection)
    {
        var since = StoreRows.CeilingToUnixMilliseconds(timeProvider.GetUtcNow() - RecentSendersWindow);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT sender_key FROM messages WHERE ts >= $since";
        command.Parameters.AddWithValue("$since", since);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            recentSenders.TryAdd(reader.GetString(0), true);
        }
        Volatile.Write(ref recentSinceMs, since);
    }

    // after the commit, before the acks: a later session of the sender must find it
    private void NoteRecentSenders(CommitBatch batch)
    {
        foreach (var message in batch.Messages)
        {
            recentSenders.TryAdd(message.SenderKey, true);
        }
    }
}
