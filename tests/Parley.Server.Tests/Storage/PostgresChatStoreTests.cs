using Npgsql;
using Parley.Server.Postgres;
using Parley.Server.Storage.Migrations;
using Parley.Testing;

namespace Parley.Server.Tests.Storage;

/// <summary>The shared store suite on a real PostgreSQL, a database of its own per test, and what only PostgreSQL does.</summary>
public sealed class PostgresChatStoreTests(PostgresServer postgres) : ChatStoreTests<PostgresChatStore>, IClassFixture<PostgresServer>
{
    private string? connectionString;

    private string ConnectionString => connectionString ??= postgres.CreateDatabaseAsync().GetAwaiter().GetResult();

    protected override PostgresChatStore CreateEngine() =>
        new(new PostgresStoreOptions { ConnectionString = ConnectionString }, Clock, Logs.CreateLogger<PostgresChatStore>());


    // it keeps IStoreQueries' default: always "may have sent", so every send id is looked up
    protected override bool TellsWhoHasNotSent => false;

    protected override async Task DeleteDatabaseAsync()
    {
        if (connectionString is not null)
        {
            await postgres.DropDatabaseAsync(connectionString);
        }
    }

    protected override async Task CreateVersionOneDatabaseAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await MigrationRunner.ApplyAsync(connection, [PostgresMigrations.All[0]], Clock);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
        // the seq counters a database of then kept beside its messages
        await using var counters = new NpgsqlCommand(
            "INSERT INTO conversations (conversation, last_seq) SELECT conversation, max(seq) FROM messages GROUP BY conversation", connection);
        await counters.ExecuteNonQueryAsync();
    }

    private async Task<object?> QueryAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task SchemaIsVersionedByTheSharedMigrationRunner()
    {
        await OpenAsync();

        Assert.Equal("1,2,3", await QueryAsync("SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations"));
    }

    [Fact]
    public async Task NodesStartingTogetherMigrateOnce()
    {
        var stores = Enumerable.Range(0, 3).Select(_ => OpenAsync()).ToList();

        await Task.WhenAll(stores).WaitAsync(Timeout);

        Assert.Equal(3L, await QueryAsync("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(3, Logs.Entries.Count(e => e.EventId.Name == "PostgresMigrationApplied"));
    }

    [Fact]
    public async Task TwoNodesWritingOneConversationShareOneGapFreeSeq()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();
        var messages = new List<TestMessage>();

        // two stores over one database are two nodes: each has its own writer and group commit
        for (var i = 0; i < 300; i++)
        {
            var message = Message(i % 5 == 0 ? "#b" : "#a", $"text {i}");
            messages.Add(message);
            (i % 2 == 0 ? first : second).Append(message);
        }
        var stored = await Task.WhenAll(messages.Select(m => m.Stored)).WaitAsync(Timeout);

        foreach (var conversation in new[] { "#a", "#b" })
        {
            var seqs = stored.Where(m => m.ConversationKey == conversation).Select(m => m.Seq).Order().ToList();
            Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        }
        var page = await first.ReadHistoryAsync("#a", before: null, after: null, limit: 1000);
        Assert.Equal(240, page.Messages.Count);
    }

    [Fact]
    public async Task AFailedCommitFailsItsMessagesAndTheStoreRecovers()
    {
        var store = await OpenAsync();
        await SeedAsync(store, "#a", 2);
        // a row the counter does not know about takes the seq it would give next
        await QueryAsync("INSERT INTO messages VALUES ('#a', 3, 0, 'mallory', 'mallory', '#a', 'sneaked in', 'x')");

        var failed = Message("#a", "collides");
        store.Append(failed);
        var error = await Assert.ThrowsAsync<PostgresException>(() => failed.Stored.WaitAsync(Timeout));
        var healthWhileFailing = await store.IsHealthyAsync();
        await QueryAsync("UPDATE conversations SET last_seq = 3 WHERE conversation = '#a'");
        var next = await AppendAsync(store, Message("#a", "after"));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.False(healthWhileFailing);
        Assert.Equal(4, next.Seq);
        Assert.True(await store.IsHealthyAsync());
        Assert.Contains(Logs.Entries, e => e.EventId.Name == "StoreCommitFailed");
        Assert.Contains(Logs.Entries, e => e.EventId.Name == "StoreCommitsRecovered");
        Logs.Clear();
    }

    [Fact]
    public async Task ARoomForgottenByAnotherNodeWhileThisOneClaimsItIsCreatedAgain()
    {
        var store = await OpenAsync();
        await QueryAsync("INSERT INTO rooms (name, skeleton, created, legacy) VALUES ('#gone', '#gone', 0, false)");
        // a hold between the claim's statements, for this test only: its update of the rooms (which changes
        // nothing here) waits for a lock the other node holds
        await QueryAsync("""
            CREATE FUNCTION wait_for_other_node() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_advisory_xact_lock(4242); RETURN NULL; END $$;
            CREATE TRIGGER wait_between_statements AFTER UPDATE ON rooms FOR EACH STATEMENT EXECUTE FUNCTION wait_for_other_node();
            """);
        await using var otherNode = new NpgsqlConnection(ConnectionString);
        await otherNode.OpenAsync();
        await using var forgetting = await otherNode.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("SELECT pg_advisory_xact_lock(4242)", otherNode, forgetting))
        {
            await hold.ExecuteNonQueryAsync();
        }

        // the claim's insert sees the room and adds nothing, then it waits
        var claim = store.ClaimRoomAsync("#gone", "#gone").AsTask();
        await WaitForLockWaitAsync();
        // the other node forgets the room before the claim looks it up
        await using (var forget = new NpgsqlCommand("DELETE FROM rooms WHERE name = '#gone'", otherNode, forgetting))
        {
            await forget.ExecuteNonQueryAsync();
        }
        await forgetting.CommitAsync();

        Assert.Equal("#gone", await claim.WaitAsync(Timeout));
        Assert.Equal(1L, await QueryAsync("SELECT count(*) FROM rooms WHERE name = '#gone'"));
    }

    // the store's writer waits for a lock the other node's transaction holds
    private async Task WaitForLockWaitAsync()
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (await QueryAsync("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()") is not 1L)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), deadline.Token);
        }
    }

    [Fact]
    public async Task IsNotHealthyWhenTheDatabaseIsGone()
    {
        var store = await OpenAsync();

        await postgres.DropDatabaseAsync(ConnectionString);

        Assert.False(await store.IsHealthyAsync());
        connectionString = null;
    }
}
