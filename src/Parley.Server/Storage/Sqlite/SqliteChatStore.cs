using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Parley.Server.Storage.Migrations;
using SQLitePCL;

namespace Parley.Server.Storage.Sqlite;

/// <summary>
/// The embedded engine: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so that an
/// acknowledged message survives a killed process and a power cut. The core's commit pipeline calls
/// <see cref="CommitAsync"/> one batch at a time on its own thread, so every write goes through one
/// connection and never meets <c>SQLITE_BUSY</c>; reads use pooled read-only connections beside it.
/// </summary>
public sealed partial class SqliteChatStore : IChatEngine
{
    private const int NotStarted = 0, Starting = 1, Open = 2, Disposed = 3;

    private readonly TimeProvider timeProvider;
    private readonly ILogger<SqliteChatStore> logger;
    private readonly string databasePath;
    private readonly string writeConnectionString;
    private readonly string readConnectionString;
    private readonly string lookupConnectionString;
    private readonly string busyTimeoutPragma;

    private SqliteConnection? writeConnection;
    private int state = NotStarted;

    /// <summary>Creates the store; <see cref="InitializeAsync"/> opens it.</summary>
    public SqliteChatStore(SqliteStoreOptions options, TimeProvider timeProvider, ILogger<SqliteChatStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DatabasePath, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BusyTimeout, TimeSpan.Zero, nameof(options));

        this.timeProvider = timeProvider;
        this.logger = logger;
        databasePath = Path.GetFullPath(options.DatabasePath);

        // whole seconds, and at least one: Microsoft.Data.Sqlite takes 0 as "wait forever"
        var timeoutSeconds = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds));
        writeConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // the one writing connection lives as long as the store: nothing to pool
            Pooling = false,
            ForeignKeys = true,
            DefaultTimeout = timeoutSeconds,
        }.ToString();
        readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = true,
            DefaultTimeout = timeoutSeconds,
        }.ToString();
        // the send look-ups' connections are the store's own, kept with their statements prepared
        lookupConnectionString = new SqliteConnectionStringBuilder(readConnectionString) { Pooling = false }.ToString();
        busyTimeoutPragma = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}");
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref state) == Disposed, this);
        if (Interlocked.CompareExchange(ref state, Starting, NotStarted) != NotStarted)
        {
            throw new InvalidOperationException("The store is already initialized.");
        }

        var connection = new SqliteConnection(writeConnectionString);
        try
        {
            await OpenForWritingAsync(connection, cancellationToken).ConfigureAwait(false);
            var applied = await MigrationRunner.ApplyAsync(connection, SqliteMigrations.All, timeProvider, cancellationToken).ConfigureAwait(false);
            foreach (var migration in applied)
            {
                Log.MigrationApplied(logger, migration.Version, migration.Name);
            }
            PrepareWriterStatements(connection);
            LoadRecentSenders(connection);
        }
        catch
        {
            DisposeWriterStatements();
            await connection.DisposeAsync().ConfigureAwait(false);
            Interlocked.CompareExchange(ref state, NotStarted, Starting);
            throw;
        }

        writeConnection = connection;
        if (Interlocked.CompareExchange(ref state, Open, Starting) != Starting)
        {
            // disposed while opening: DisposeAsync did not see the connection
            DisposeWriterStatements();
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new ObjectDisposedException(GetType().FullName);
        }
        Log.Opened(logger, databasePath);
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
            var connection = await OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT count(*) FROM schema_migrations";
                await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    /// <summary>Closes the database; the core's pipeline has committed its last batch before.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref state, Disposed) == Disposed)
        {
            return;
        }
        DisposeWriterStatements();
        DisposeLookups();
        if (writeConnection is not null)
        {
            await writeConnection.DisposeAsync().ConfigureAwait(false);
            writeConnection = null;
        }
        using (var pooled = new SqliteConnection(readConnectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }
        Log.Closed(logger, databasePath);
    }

    // creates the directory when it is missing (as a first run with --data does), opens the file for
    // writing in WAL mode, or says why it cannot, with the path: the server must not run on it
    private async Task OpenForWritingAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            var directory = Path.GetDirectoryName(databasePath)!;
            if (!Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory);
                Log.DirectoryCreated(logger, directory);
            }
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // a file it cannot write SQLite opens read-only, without an error
            if (raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
            {
                throw SqliteOpenException.Explain(databasePath, error: null);
            }
            EnableDurableWal(connection);
        }
        catch (Exception e) when (e is SqliteException or UnauthorizedAccessException || e is IOException and not SqliteOpenException)
        {
            throw SqliteOpenException.Explain(databasePath, e);
        }
    }

    private void EnableDurableWal(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL";
        var journalMode = command.ExecuteScalar() as string;
        if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"SQLite kept the journal mode '{journalMode}' instead of WAL for {databasePath}.");
        }
        // FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on a power cut, and an ack promises durability.
        command.CommandText = "PRAGMA synchronous = FULL";
        command.ExecuteNonQuery();
        command.CommandText = busyTimeoutPragma;
        command.ExecuteNonQuery();
    }

    private async ValueTask<SqliteConnection> OpenReadConnectionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref state) == Disposed, this);
        var connection = new SqliteConnection(readConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = connection.CreateCommand();
            command.CommandText = busyTimeoutPragma;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
