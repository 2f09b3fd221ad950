using Npgsql;

namespace Parley.Testing;

/// <summary>
/// A real PostgreSQL server of its own, on a free loopback port, in a temporary directory: initdb
/// and pg_ctl run as the unprivileged <c>postgres</c> user (PostgreSQL refuses root). Use one per
/// test class (an xunit class fixture) and a database per test.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "parley-pg-" + Guid.NewGuid().ToString("N"));
    private string binDirectory = "";
    private bool started;

    /// <summary>The port it listens on (127.0.0.1 only).</summary>
    public int Port { get; private set; }

    private string DataDirectory => Path.Combine(directory, "data");

    /// <summary>A connection string to <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
    }.ConnectionString;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        binDirectory = FindBinDirectory();
        Directory.CreateDirectory(directory);
        await ExternalCommand.RunAsync("chown", "postgres:postgres", directory);
        await AsPostgresAsync("initdb", "-D", DataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync");
        Port = ServerProcess.FreePort();
        // fsync off: the tests kill Parley nodes, never PostgreSQL or the machine
        await AsPostgresAsync("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(directory, "postgres.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -k {directory} -c fsync=off -c max_connections=300", "start");
        started = true;
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "t" + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        return ConnectionString(name);
    }

    /// <summary>Drops a database, closing whatever is still connected to it.</summary>
    public Task DropDatabaseAsync(string connectionString) =>
        ExecuteAsync($"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(connectionString).Database}\" WITH (FORCE)");

    /// <summary>Runs one statement in the <c>postgres</c> database.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (started)
        {
            await AsPostgresAsync("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop");
        }
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private Task<string> AsPostgresAsync(string tool, params string[] arguments) =>
        ExternalCommand.RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(binDirectory, tool), .. arguments]);

    private static string FindBinDirectory()
    {
        var root = "/usr/lib/postgresql";
        var newest = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var version) ? version : 0)
                .FirstOrDefault()
            : null;
        return newest is null
            ? throw new InvalidOperationException("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb); ./test.sh installs it.")
            : Path.Combine(newest, "bin");
    }
}
