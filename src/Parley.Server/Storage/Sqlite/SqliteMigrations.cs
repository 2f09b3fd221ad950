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
        new(2, "identities: accounts by identity, identity tokens, direct conversations by identity", """
            -- An account stands for an identity that outlives what becomes of its name; rooms, tokens,
            -- direct conversations and idempotency belong to the identity. The key and skeleton of a
            -- name follow the name rules of version 2, which the server fills in at start (name_rules).
            CREATE TABLE accounts_v2 (
                identity TEXT NOT NULL PRIMARY KEY,
                user_key TEXT NOT NULL UNIQUE,
                skeleton TEXT NOT NULL,
                name TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                created INTEGER NOT NULL,
                name_rules INTEGER NOT NULL
            ) STRICT, WITHOUT ROWID;
            INSERT INTO accounts_v2 (identity, user_key, skeleton, name, password_hash, created, name_rules)
            SELECT '@' || lower(hex(randomblob(16))), user_key, '', name, password_hash, created, 1 FROM accounts;
            CREATE INDEX accounts_by_skeleton ON accounts_v2 (skeleton);

            CREATE TABLE account_rooms_v2 (
                identity TEXT NOT NULL REFERENCES accounts_v2 (identity) ON DELETE CASCADE,
                room TEXT NOT NULL,
                PRIMARY KEY (identity, room)
            ) STRICT, WITHOUT ROWID;
            INSERT INTO account_rooms_v2 (identity, room)
            SELECT a.identity, r.room FROM account_rooms r JOIN accounts_v2 a ON a.user_key = r.user_key;

            -- direct conversations between two accounts move to their identities; one with a guest stays
            -- under its old key, which no identity reaches: that guest is gone
            CREATE TEMP TABLE dm_moves AS
            WITH parts AS (
                SELECT DISTINCT conversation AS old,
                       substr(conversation, 4, instr(substr(conversation, 4), ':') - 1) AS a,
                       substr(substr(conversation, 4), instr(substr(conversation, 4), ':') + 1) AS b
                FROM messages WHERE conversation LIKE 'dm:%'
            )
            SELECT p.old AS old, ia.identity AS ia, ib.identity AS ib,
                   'dm:' || min(ia.identity, ib.identity) || ':' || max(ia.identity, ib.identity) AS new
            FROM parts p JOIN accounts_v2 ia ON ia.user_key = p.a JOIN accounts_v2 ib ON ib.user_key = p.b;
            UPDATE messages SET conversation = (SELECT new FROM dm_moves WHERE old = messages.conversation)
            WHERE conversation IN (SELECT old FROM dm_moves);
            UPDATE messages SET sender_key = (SELECT identity FROM accounts_v2 WHERE user_key = messages.sender_key)
            WHERE sender_key IN (SELECT user_key FROM accounts_v2);

            -- each direct conversation under both parties, for the welcome of each
            CREATE TABLE direct_conversations (
                identity TEXT NOT NULL,
                conversation TEXT NOT NULL,
                other_identity TEXT NOT NULL,
                other_name TEXT NOT NULL,
                last_seq INTEGER NOT NULL,
                last_ts INTEGER NOT NULL,
                PRIMARY KEY (identity, conversation)
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX direct_conversations_by_activity ON direct_conversations (identity, last_ts);
            INSERT INTO direct_conversations (identity, conversation, other_identity, other_name, last_seq, last_ts)
            SELECT m.ia, m.new, m.ib, b.name, l.seq, l.ts
            FROM dm_moves m JOIN accounts_v2 b ON b.identity = m.ib
            JOIN (SELECT conversation, max(seq) AS seq, max(ts) AS ts FROM messages WHERE conversation LIKE 'dm:%' GROUP BY conversation) l
              ON l.conversation = m.new;
            INSERT INTO direct_conversations (identity, conversation, other_identity, other_name, last_seq, last_ts)
            SELECT m.ib, m.new, m.ia, a.name, l.seq, l.ts
            FROM dm_moves m JOIN accounts_v2 a ON a.identity = m.ia
            JOIN (SELECT conversation, max(seq) AS seq, max(ts) AS ts FROM messages WHERE conversation LIKE 'dm:%' GROUP BY conversation) l
              ON l.conversation = m.new
            WHERE true
            ON CONFLICT DO NOTHING;
            DROP TABLE dm_moves;

            DROP TABLE account_rooms;
            DROP TABLE accounts;
            ALTER TABLE accounts_v2 RENAME TO accounts;
            ALTER TABLE account_rooms_v2 RENAME TO account_rooms;

            -- an account's identity tokens, by the hash of the token: the token itself is never stored
            CREATE TABLE tokens (
                token_hash TEXT NOT NULL PRIMARY KEY,
                identity TEXT NOT NULL REFERENCES accounts (identity) ON DELETE CASCADE,
                issued INTEGER NOT NULL,
                last_used INTEGER NOT NULL
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX tokens_by_identity ON tokens (identity);
            CREATE INDEX tokens_by_last_use ON tokens (last_used);
            """),
        new(3, "rooms by name and confusable skeleton", """
            -- every room there is, so that no new room may look like one (its skeleton); the rooms of
            -- before are legacy: they may look like each other, and get their skeleton at start
            CREATE TABLE rooms (
                name TEXT NOT NULL PRIMARY KEY,
                skeleton TEXT NOT NULL,
                created INTEGER NOT NULL,
                legacy INTEGER NOT NULL
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX rooms_by_skeleton ON rooms (skeleton);
            CREATE UNIQUE INDEX rooms_unique_skeleton ON rooms (skeleton) WHERE legacy = 0;
            INSERT INTO rooms (name, skeleton, created, legacy)
            SELECT name, '', 0, 1 FROM (
                SELECT DISTINCT conversation AS name FROM messages WHERE conversation LIKE '#%'
                UNION SELECT room FROM account_rooms
                UNION SELECT '#lobby'
            );
            """),
    ];
}
