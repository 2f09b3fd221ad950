using Parley.Server.Storage.Migrations;

namespace Parley.Server.Storage.Sqlite;

/// <summary>The schema of the SQLite store, one migration per released change.</summary>
internal static class SqliteMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "messages, accounts and account rooms", """
            CREATE TABLE messages (
                conversation TEXT NOT NULL,
                seq INTEGER NOT NULL,
                ts INTEGER NOT NULL,
                sender_key TEXT NOT NULL,
                from_name TEXT NOT NULL,
                to_name TEXT NOT NULL,
                text TEXT NOT NULL,
                client_id TEXT NOT NULL,
                PRIMARY KEY (conversation, seq)
            ) STRICT, WITHOUT ROWID;

            -- not unique: a client may reuse an id once the 24 h idempotency window has passed
            CREATE INDEX messages_by_client_id ON messages (sender_key, client_id, ts);

            CREATE TABLE accounts (
                user_key TEXT NOT NULL PRIMARY KEY,
                name TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                created INTEGER NOT NULL
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE account_rooms (
                user_key TEXT NOT NULL REFERENCES accounts (user_key) ON DELETE CASCADE,
                room TEXT NOT NULL,
                PRIMARY KEY (user_key, room)
            ) STRICT, WITHOUT ROWID;
            """),
    ];
}
