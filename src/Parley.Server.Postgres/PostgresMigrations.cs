using Parley.Server.Storage.Migrations;

namespace Parley.Server.Postgres;

/// <summary>The schema of the PostgreSQL store, one migration per released change (same runner as SQLite).</summary>
internal static class PostgresMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "conversations, messages, accounts and account rooms", """
            -- one row per conversation: the seq counter every node increments in its commit, so
            -- that writers on different nodes serialize per conversation and seq stays gap-free
            CREATE TABLE conversations (
                conversation TEXT NOT NULL PRIMARY KEY,
                last_seq BIGINT NOT NULL
            );

            CREATE TABLE messages (
                conversation TEXT NOT NULL,
                seq BIGINT NOT NULL,
                ts BIGINT NOT NULL,
                sender_key TEXT NOT NULL,
                from_name TEXT NOT NULL,
                to_name TEXT NOT NULL,
                text TEXT NOT NULL,
                client_id TEXT NOT NULL,
                PRIMARY KEY (conversation, seq)
            );

            -- not unique: a client may reuse an id once the 24 h idempotency window has passed
            CREATE INDEX messages_by_client_id ON messages (sender_key, client_id, ts);

            CREATE TABLE accounts (
                user_key TEXT NOT NULL PRIMARY KEY,
                name TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                created BIGINT NOT NULL
            );

            CREATE TABLE account_rooms (
                user_key TEXT NOT NULL REFERENCES accounts (user_key) ON DELETE CASCADE,
                room TEXT NOT NULL,
                PRIMARY KEY (user_key, room)
            );
            """),
    ];
}
