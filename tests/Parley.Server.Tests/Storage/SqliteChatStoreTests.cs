using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Parley.Server.Storage;
using Parley.Server.Storage.Migrations;
using Parley.Server.Storage.Sqlite;

namespace Parley.Server.Tests.Storage;

/// <summary>The shared store suite on SQLite, a temporary database file per test, and what only SQLite does.</summary>
public sealed class SqliteChatStoreTests : ChatStoreTests<SqliteChatStore>
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "parley-tests", Guid.NewGuid().ToString("N"));

    // a folder that does not exist yet: the store creates it
    private string DatabasePath => Path.Combine(directory, "data", "parley.db");

    protected override SqliteChatStore CreateEngine() =>
        new(new SqliteStoreOptions { DatabasePath = DatabasePath }, Clock, Logs.CreateLogger<SqliteChatStore>());


    protected override Task DeleteDatabaseAsync()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
        return Task.CompletedTask;
    }

    protected override async Task CreateVersionOneDatabaseAsync(string sql)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        using var connection = OpenSideConnection();
        await MigrationRunner.ApplyAsync(connection, [SqliteMigrations.All[0]], Clock);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private SqliteConnection OpenSideConnection()
    {
        // unpooled, so that the file is closed when the test is done with it
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    [Fact]
    public async Task DatabaseIsInWalModeWithItsSchemaVersioned()
    {
        await OpenAsync();
        using var connection = OpenSideConnection();
        using var command = connection.CreateCommand();

        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
        command.CommandText = "SELECT group_concat(version) FROM schema_migrations";
        Assert.Equal("1,2,3", command.ExecuteScalar());
    }

    [Fact]
    public async Task AFailedCommitFailsItsMessagesAndSeqReloadsFromTheDatabase()
    {
        var store = await OpenAsync();
        await SeedAsync(store, "#a", 2);
        using (var connection = OpenSideConnection())
        using (var command = connection.CreateCommand())
        {
            // a row the store does not know about takes the seq it would give next
            command.CommandText = "INSERT INTO messages VALUES ('#a', 3, 0, 'mallory', 'mallory', '#a', 'sneaked in', 'x')";
            command.ExecuteNonQuery();
        }

        var failed = Message("#a", "collides");
        store.Append(failed);
        var error = await Assert.ThrowsAsync<SqliteException>(() => failed.Stored.WaitAsync(Timeout));
        var healthWhileFailing = await store.IsHealthyAsync();
        var next = await AppendAsync(store, Message("#a", "after"));

        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.False(healthWhileFailing);
        Assert.Equal(4, next.Seq);
        Assert.True(await store.IsHealthyAsync());
        Assert.Single(Logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains(Logs.Entries, e => e.EventId.Name == "StoreCommitsRecovered");
        Logs.Clear();
    }

    [Fact]
    public async Task SavingRoomsOfAUserWithoutAccountFailsAloneNotTheMessagesBesideIt()
    {
        var store = await OpenAsync();
        var before = Message("#a");
        store.Append(before);
        var save = store.SaveAccountRoomsAsync("guest", ["#a"]).AsTask();
        var after = Message("#a");
        store.Append(after);

        await Assert.ThrowsAsync<SqliteException>(() => save.WaitAsync(Timeout));
        Assert.Equal(1, (await before.Stored.WaitAsync(Timeout)).Seq);
        Assert.Equal(2, (await after.Stored.WaitAsync(Timeout)).Seq);
        Assert.True(await store.IsHealthyAsync());
    }

    [Fact]
    public async Task AppendAfterDisposeThrows()
    {
        var store = await OpenAsync();
        await store.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => store.Append(Message("#a")));
        Assert.False(await store.IsHealthyAsync());
    }

    [Fact]
    public async Task AppendRejectsAMessageWithAMissingField()
    {
        var store = await OpenAsync();
        var broken = new TestMessage { ConversationKey = "#a", SenderKey = "alice", From = "alice", To = "#a", Text = null!, ClientId = "c1" };

        Assert.Throws<ArgumentException>(() => store.Append(broken));
        Assert.Equal(1, (await AppendAsync(store, Message("#a"))).Seq);
    }

    [Fact]
    public async Task MessagesAppendedBeforeInitializeAreCommittedOnceOpen()
    {
        var store = CreateStore();
        await using (store)
        {
            var early = Message("#a");
            store.Append(early);
            await store.InitializeAsync().WaitAsync(Timeout);

            Assert.Equal(1, (await early.Stored.WaitAsync(Timeout)).Seq);
        }
    }

    [Fact]
    public void LogEventIdsAreUniqueAndInTheStoreRange()
    {
        var log = typeof(SqliteChatStore).GetNestedType("Log", BindingFlags.NonPublic);
        Assert.NotNull(log);
        var ids = log.GetMethods(BindingFlags.Static | BindingFlags.Public)
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Select(a => a.EventId)
            .ToList();

        Assert.NotEmpty(ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.InRange(id, 3000, 3099));
    }
}
