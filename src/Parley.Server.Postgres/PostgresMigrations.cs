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
        new(2, "identities: accounts by identity, identity tokens, direct conversations by identity", """
            -- An account stands for an identity that outlives what becomes of its name; rooms, tokens,
            -- direct conversations and idempotency belong to the identity. The key and skeleton of a
            -- name follow the name rules of version 2, which the server fills in at start (name_rules).
            ALTER TABLE account_rooms DROP CONSTRAINT account_rooms_user_key_fkey;
            ALTER TABLE accounts ADD COLUMN identity TEXT, ADD COLUMN skeleton TEXT NOT NULL DEFAULT '',
                ADD COLUMN name_rules INT NOT NULL DEFAULT 1;
            UPDATE accounts SET identity = '@' || replace(gen_random_uuid()::text, '-', '');
            ALTER TABLE accounts DROP CONSTRAINT accounts_pkey;
            ALTER TABLE accounts ALTER COLUMN identity SET NOT NULL, ADD PRIMARY KEY (identity),
                ADD CONSTRAINT accounts_user_key_key UNIQUE (user_key);
            CREATE INDEX accounts_by_skeleton ON accounts (skeleton);

            ALTER TABLE account_rooms ADD COLUMN identity TEXT;
            UPDATE account_rooms r SET identity = a.identity FROM accounts a WHERE a.user_key = r.user_key;
            DELETE FROM account_rooms WHERE identity IS NULL;
            ALTER TABLE account_rooms DROP CONSTRAINT account_rooms_pkey;
            ALTER TABLE account_rooms DROP COLUMN user_key;
            ALTER TABLE account_rooms ALTER COLUMN identity SET NOT NULL, ADD PRIMARY KEY (identity, room),
                ADD FOREIGN KEY (identity) REFERENCES accounts (identity) ON DELETE CASCADE;

            -- direct conversations between two accounts move to their identities; one with a guest stays
            -- under its old key, which no identity reaches: that guest is gone
            CREATE TEMP TABLE dm_moves ON COMMIT DROP AS
            WITH parts AS (
                SELECT conversation AS old, split_part(conversation, ':', 2) AS a, split_part(conversation, ':', 3) AS b
                FROM conversations WHERE conversation LIKE 'dm:%'
            )
            SELECT p.old, ia.identity AS ia, ib.identity AS ib,
                   'dm:' || least(ia.identity, ib.identity) || ':' || greatest(ia.identity, ib.identity) AS new
            FROM parts p JOIN accounts ia ON ia.user_key = p.a JOIN accounts ib ON ib.user_key = p.b;
            UPDATE messages m SET conversation = d.new FROM dm_moves d WHERE m.conversation = d.old;
            UPDATE conversations c SET conversation = d.new FROM dm_moves d WHERE c.conversation = d.old;
            UPDATE messages m SET sender_key = a.identity FROM accounts a WHERE m.sender_key = a.user_key;

            -- each direct conversation under both parties, for the welcome of each
            CREATE TABLE direct_conversations (
                identity TEXT NOT NULL,
                conversation TEXT NOT NULL,
                other_identity TEXT NOT NULL,
                other_name TEXT NOT NULL,
                last_seq BIGINT NOT NULL,
                last_ts BIGINT NOT NULL,
                PRIMARY KEY (identity, conversation)
            );
            CREATE INDEX direct_conversations_by_activity ON direct_conversations (identity, last_ts);
            INSERT INTO direct_conversations (identity, conversation, other_identity, other_name, last_seq, last_ts)
            SELECT d.ia, d.new, d.ib, b.name, c.last_seq, (SELECT max(ts) FROM messages m WHERE m.conversation = d.new)
            FROM dm_moves d JOIN accounts b ON b.identity = d.ib JOIN conversations c ON c.conversation = d.new
            UNION ALL
            SELECT d.ib, d.new, d.ia, a.name, c.last_seq, (SELECT max(ts) FROM messages m WHERE m.conversation = d.new)
            FROM dm_moves d JOIN accounts a ON a.identity = d.ia JOIN conversations c ON c.conversation = d.new
            WHERE d.ia <> d.ib;

            -- an account's identity tokens, by the hash of the token: the token itself is never stored
            CREATE TABLE tokens (
                token_hash TEXT NOT NULL PRIMARY KEY,
                identity TEXT NOT NULL REFERENCES accounts (identity) ON DELETE CASCADE,
                issued BIGINT NOT NULL,
                last_used BIGINT NOT NULL
            );
            CREATE INDEX tokens_by_identity ON tokens (identity);
            CREATE INDEX tokens_by_last_use ON tokens (last_used);
            """),
        new(3, "rooms by name and confusable skeleton", """
            -- every room there is, so that no new room may look like one (its skeleton); the rooms of
            -- before are legacy: they may look like each other, and get their skeleton at start
            CREATE TABLE rooms (
                name TEXT NOT NULL PRIMARY KEY,
                skeleton TEXT NOT NULL,
                created BIGINT NOT NULL,
                legacy BOOLEAN NOT NULL
            );
            CREATE INDEX rooms_by_skeleton ON rooms (skeleton);
            CREATE UNIQUE INDEX rooms_unique_skeleton ON rooms (skeleton) WHERE NOT legacy;
            INSERT INTO rooms (name, skeleton, created, legacy)
            SELECT name, '', 0, true FROM (
                SELECT conversation AS name FROM conversations WHERE conversation LIKE '#%'
                UNION SELECT room FROM account_rooms
                UNION SELECT '#lobby'
            ) AS known;
            """),
    ];
}
