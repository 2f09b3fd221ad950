using Microsoft.Extensions.Logging;
using Npgsql;
using Parley.Server.Storage;
using Parley.Server.Storage.Migrations;

namespace Parley.Server.Postgres;

/// <summary>
/// The engine for several nodes: one PostgreSQL database shared by all of them. The core's commit
/// pipeline on each node calls <see cref="CommitAsync"/> one batch at a time; each conversation's
/// <c>seq</c> numbers come from that conversation's row in <c>conversations</c>, incremented and
/// locked in the same commit: commits on different nodes serialize per conversation on that row, so
/// <c>seq</c> stays gap-free and ordered across the cluster.
/// </summary>
public sealed partial class PostgresChatStore : IChatEngine
{
    // any fixed number: the advisory lock that keeps two nodes from migrating at once
    private const long MigrationLockKey = 0x5061726c6579; // "Parley"
    private const int NotStarted = 0, Starting = 1, Open = 2, Disposed = 3;

    private readonly TimeProvider timeProvider;
    private readonly ILogger<PostgresChatStore> logger;
    private readonly NpgsqlDataSource dataSource;
    private readonly string description;

    private int state = NotStarted;

    /// <summary>Creates the store; <see cref="InitializeAsync"/> opens it.</summary>
    /// <exception cref="ArgumentException">The connection string is not valid.</exception>
    public PostgresChatStore(PostgresStoreOptions options, TimeProvider timeProvider, ILogger<PostgresChatStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);

        this.timeProvider = timeProvider;
        this.logger = logger;
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Normalize(options.ConnectionString));
        description = $"{builder.Host}:{builder.Port}/{builder.Database}";
        dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref state) == Disposed, this);
        if (Interlocked.CompareExchange(ref state, Starting, NotStarted) != NotStarted)
        {
            throw new InvalidOperationException("The store is already initialized.");
        }
        try
        {
            await MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.CompareExchange(ref state, NotStarted, Starting);
            throw;
        }
        if (Interlocked.CompareExchange(ref state, Open, Starting) != Starting)
        {
            throw new ObjectDisposedException(GetType().FullName);
        }
        Log.Opened(logger, description);
    }

    /// <inheritdoc />
    public async ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref state) != Open)
        {
            return false;
        }
        try
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var command = new NpgsqlCommand("SELECT count(*) FROM schema_migrations", connection);
                await using (command.ConfigureAwait(false))
                {
                    await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                }
            }
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Closes the connections; the core's pipeline must have committed its last batch first (a commit in flight would fail).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref state, Disposed) == Disposed)
        {
            return;
        }
        await dataSource.DisposeAsync().ConfigureAwait(false);
        Log.Closed(logger, description);
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // Nodes starting together: the first migrates, the others wait and then find nothing to do.
            await ExecuteAsync(connection, $"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken).ConfigureAwait(false);
            try
            {
                var applied = await MigrationRunner.ApplyAsync(connection, PostgresMigrations.All, timeProvider, cancellationToken).ConfigureAwait(false);
                foreach (var migration in applied)
                {
                    Log.MigrationApplied(logger, migration.Version, migration.Name);
                }
            }
            finally
            {
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
