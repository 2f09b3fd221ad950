namespace Parley.Server.Postgres;

/// <summary>Where and how the PostgreSQL store keeps its data.</summary>
public sealed record PostgresStoreOptions
{
    /// <summary>An Npgsql connection string (<c>Host=…;Database=…</c>) or a <c>postgres://</c> URL.</summary>
    public required string ConnectionString { get; init; }
}
