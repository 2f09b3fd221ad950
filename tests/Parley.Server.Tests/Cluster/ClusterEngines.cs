using Parley.Testing;

namespace Parley.Server.Tests.Cluster;

/// <summary>One PostgreSQL and one Redis for the protocol suites run against a cluster (an xunit collection fixture).</summary>
public sealed class ClusterEngines : IAsyncLifetime
{
    /// <summary>The PostgreSQL server.</summary>
    public PostgresServer Postgres { get; } = new();

    /// <summary>The Redis server.</summary>
    public RedisServer Redis { get; } = new();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
        await Redis.InitializeAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Redis.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}

/// <summary>The protocol suites against a cluster share the engines, and run one class at a time: a 2-core machine holds one cluster at a time well.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterEngines>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "cluster of two nodes";
}
