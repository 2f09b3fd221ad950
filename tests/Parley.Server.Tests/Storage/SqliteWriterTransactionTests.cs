using Microsoft.Data.Sqlite;
using Parley.Server.Storage.Sqlite;

namespace Parley.Server.Tests.Storage;

/// <summary>The SQLite writer's transaction: what its BEGIN locks, and what a job's savepoint undoes.</summary>
public sealed class SqliteWriterTransactionTests : IDisposable
{
    private const int SqliteBusy = 5;

    private readonly string directory = Path.Combine(Path.GetTempPath(), "parley-tests", Guid.NewGuid().ToString("N"));

    public SqliteWriterTransactionTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void BeginTakesTheWriteLockAtOnceNotAtTheFirstWrite()
    {
        using var writer = Open();
        Run(writer, "PRAGMA busy_timeout = 0");
        using var transaction = new SqliteWriterTransaction(writer);
        using var other = Open();

        // a deferred BEGIN would succeed here, and its first write after a read fail without waiting
        Run(other, "BEGIN IMMEDIATE");
        var busy = Assert.Throws<SqliteException>(transaction.Begin);
        Run(other, "COMMIT");
        transaction.Begin();

        Assert.Equal(SqliteBusy, busy.SqliteErrorCode);
        Assert.True(transaction.IsOpen);
        transaction.Commit();
        Assert.False(transaction.IsOpen);
    }

    [Fact]
    public void AJobUndoneToItsSavepointLeavesTheRestOfTheBatch()
    {
        using var writer = Open();
        using var transaction = new SqliteWriterTransaction(writer);

        transaction.Begin();
        Run(writer, "INSERT INTO t VALUES ('kept')");
        transaction.Save();
        Run(writer, "INSERT INTO t VALUES ('undone')");
        transaction.RollBackToSave();
        transaction.Release();
        transaction.Commit();

        Assert.Equal("kept", Scalar(writer, "SELECT group_concat(v) FROM t"));
    }

    [Fact]
    public void RollingBackWhatSqliteAlreadyEndedDoesNothing()
    {
        using var writer = Open();
        using var transaction = new SqliteWriterTransaction(writer);
        transaction.Begin();
        Run(writer, "INSERT INTO t VALUES ('a')");
        transaction.Commit();

        transaction.RollBackQuietly();

        Assert.False(transaction.IsOpen);
        Assert.Equal("a", Scalar(writer, "SELECT group_concat(v) FROM t"));
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, "t.db"),
            Pooling = false,
        }.ToString());
        connection.Open();
        Run(connection, "CREATE TABLE IF NOT EXISTS t (v TEXT)");
        return connection;
    }

    private static void Run(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
