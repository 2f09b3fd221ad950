namespace Parley.Server.Postgres;

/// <summary>Where and how the PostgreSQL store keeps its data.</summary>
public sealed record PostgresStoreOptions
{
    /// <summary>An Npgsql connection string (<c>Host=…;Database=…</c>) or a <c>postgres://</c> URL.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>
    /// The most writes one group commit takes: large enough that a burst costs few round trips and
    /// one WAL flush, small enough that the first message of a burst is not held back long.
    /// </summary>
    public int MaxBatchSize { get; init; } = 1024;
}
