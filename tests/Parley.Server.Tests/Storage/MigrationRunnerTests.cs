using Microsoft.Data.Sqlite;
using Parley.Server.Storage.Migrations;

namespace Parley.Server.Tests.Storage;

public sealed class MigrationRunnerTests : IDisposable
{
    private static readonly Migration First = new(1, "first", "CREATE TABLE first (id INTEGER)");
    private static readonly Migration Second = new(2, "second", "CREATE TABLE second (id INTEGER); INSERT INTO first VALUES (1)");

    private readonly SqliteConnection connection = new("Data Source=:memory:");
    private readonly ManualClock clock = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    public MigrationRunnerTests() => connection.Open();

    public void Dispose() => connection.Dispose();

    private object? Scalar(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Fact]
    public async Task AppliesMigrationsInOrderAndRecordsThem()
    {
        var applied = await MigrationRunner.ApplyAsync(connection, [First, Second], clock);

        Assert.Equal([First, Second], applied);
        Assert.Equal(1L, Scalar("SELECT count(*) FROM first"));
        Assert.Equal("1:first,2:second", Scalar("SELECT group_concat(version || ':' || name) FROM (SELECT * FROM schema_migrations ORDER BY version)"));
        Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds(), Scalar("SELECT max(applied_at) FROM schema_migrations"));
    }

    [Fact]
    public async Task AppliesOnlyWhatIsMissing()
    {
        await MigrationRunner.ApplyAsync(connection, [First], clock);

        var again = await MigrationRunner.ApplyAsync(connection, [First], clock);
        var next = await MigrationRunner.ApplyAsync(connection, [First, Second], clock);

        Assert.Empty(again);
        Assert.Equal([Second], next);
    }

    [Fact]
    public async Task AFailingMigrationLeavesNothingApplied()
    {
        var broken = new Migration(2, "broken", "CREATE TABLE second (id INTEGER); THIS IS NOT SQL");

        await Assert.ThrowsAsync<SqliteException>(() => MigrationRunner.ApplyAsync(connection, [First, broken], clock));

        Assert.Equal(0L, Scalar("SELECT count(*) FROM sqlite_master WHERE name IN ('first', 'second', 'schema_migrations')"));
    }

    [Fact]
    public async Task RefusesADatabaseNewerThanItsMigrations()
    {
        await MigrationRunner.ApplyAsync(connection, [First, Second], clock);

        await Assert.ThrowsAsync<InvalidOperationException>(() => MigrationRunner.ApplyAsync(connection, [First], clock));
    }

    [Fact]
    public async Task RefusesMigrationsOutOfOrder()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => MigrationRunner.ApplyAsync(connection, [Second, First], clock));
        await Assert.ThrowsAsync<ArgumentException>(() => MigrationRunner.ApplyAsync(connection, [First, First], clock));
    }
}
