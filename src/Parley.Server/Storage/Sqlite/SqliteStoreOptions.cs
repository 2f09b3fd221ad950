namespace Parley.Server.Storage.Sqlite;

/// <summary>Where and how the embedded SQLite store keeps its data.</summary>
public sealed record SqliteStoreOptions
{
    /// <summary>The database file; its directory is created if needed. WAL adds <c>-wal</c> and <c>-shm</c> files beside it.</summary>
    public required string DatabasePath { get; init; }

    /// <summary>
    /// How long a connection waits for a lock before failing. The store's own writes never wait
    /// (one commit at a time); this covers checkpoints and other processes opening the file.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
