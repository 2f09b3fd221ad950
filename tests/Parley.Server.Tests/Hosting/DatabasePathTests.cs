using System.Runtime.Versioning;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Server.Storage.Sqlite;
using Parley.Testing;

namespace Parley.Server.Tests.Hosting;

/// <summary>A SQLite database the server cannot open for writing: one line with the path and the reason, exit code 1.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class DatabasePathTests : IAsyncLifetime
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("parley-db-path-");
    private readonly List<WriteProtection> _protections = [];

    [Theory]
    [InlineData("a database file that cannot be written")]
    [InlineData("an empty file that cannot be written")]
    [InlineData("a database in a directory that cannot be written")]
    [InlineData("a new database in a directory that cannot be written")]
    [InlineData("a new directory in a directory that cannot be written")]
    [InlineData("a directory")]
    [InlineData("a path under a regular file")]
    [InlineData("a file that is not a database")]
    public async Task ADatabaseThatCannotBeOpenedIsNamedWithTheReasonInOneLineAndExitCodeOne(string what)
    {
        var (database, reason) = await PrepareAsync(what);

        var (exitCode, output) = await ServerProcess.RunToExitAsync("--tcp", "127.0.0.1:0", "--http", "127.0.0.1:0", "--db", database);

        Assert.Equal(1, exitCode);
        Assert.Equal($"parley: cannot open the database {database}: {reason}", output.Trim());
    }

    [Fact]
    public async Task AMissingDataDirectoryIsCreatedAndTheLogSaysSo()
    {
        var data = Path.Combine(_directory.FullName, "var", "lib", "parley");

        await using var server = await ServerProcess.StartAsync("parley.db", null, null, "--data", data);

        Assert.Contains($"Created the directory {data} for the database", server.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data, "parley.db")));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var protection in _protections)
        {
            await protection.DisposeAsync();
        }
        _directory.Delete(recursive: true);
    }

    // the database path of the case and the reason the server is to give
    private async Task<(string Database, string Reason)> PrepareAsync(string what)
    {
        var locked = Path.Combine(_directory.FullName, "locked");
        var database = Path.Combine(_directory.FullName, "parley.db");
        switch (what)
        {
            case "a database file that cannot be written":
                await CreateDatabaseAsync(database);
                await ProtectAsync(database);
                return (database, "the file is read-only");
            case "an empty file that cannot be written":
                await File.WriteAllBytesAsync(database, []);
                await ProtectAsync(database);
                return (database, "the file is read-only");
            case "a database in a directory that cannot be written":
                database = Path.Combine(locked, "parley.db");
                await CreateDatabaseAsync(database);
                await ProtectAsync(locked);
                return (database, $"the directory {locked} cannot be written");
            case "a new database in a directory that cannot be written":
                Directory.CreateDirectory(locked);
                await ProtectAsync(locked);
                return (Path.Combine(locked, "parley.db"), $"the directory {locked} cannot be written");
            case "a new directory in a directory that cannot be written":
                Directory.CreateDirectory(locked);
                await ProtectAsync(locked);
                return (Path.Combine(locked, "new", "parley.db"), $"the directory {locked} cannot be written");
            case "a directory":
                Directory.CreateDirectory(database);
                return (database, "it is a directory");
            case "a path under a regular file":
                var file = Path.Combine(_directory.FullName, "file");
                await File.WriteAllTextAsync(file, "not a directory");
                return (Path.Combine(file, "parley.db"), $"{file} is a file, not a directory");
            case "a file that is not a database":
                await File.WriteAllTextAsync(database, "not a database, but long enough for SQLite to read a header from it ......");
                return (database, "it is not a SQLite database");
            default:
                throw new ArgumentOutOfRangeException(nameof(what), what, "no such case");
        }
    }

    private async Task ProtectAsync(string path) => _protections.Add(await WriteProtection.ApplyAsync(path));

    // a database as a server leaves it: migrated, in WAL mode, closed
    private static async Task CreateDatabaseAsync(string path)
    {
        var store = new SqliteChatStore(new SqliteStoreOptions { DatabasePath = path }, TimeProvider.System, NullLogger<SqliteChatStore>.Instance);
        await using (store)
        {
            await store.InitializeAsync();
        }
    }
}
