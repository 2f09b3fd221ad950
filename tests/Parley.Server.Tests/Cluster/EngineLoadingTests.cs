using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Cluster;

/// <summary>The embedded default stays lean: the PostgreSQL and Redis engines load only when selected.</summary>
public sealed class EngineLoadingTests(PostgresServer postgres, RedisServer redis)
    : IClassFixture<PostgresServer>, IClassFixture<RedisServer>, IDisposable
{
    private static readonly string[] EngineAssemblies =
        ["Npgsql.dll", "Parley.Server.Postgres.dll", "StackExchange.Redis.dll", "Parley.Server.Redis.dll"];

    private readonly string directory = Path.Combine(Path.GetTempPath(), "parley-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task ChatAsync(ServerProcess server)
    {
        await using var alice = await RawClient.ConnectTcpAsync(server.Tcp);
        await alice.SendAsync(new HelloFrame { User = "alice" });
        await alice.NextAsync();
        await alice.SendAsync(new SendFrame { Id = "a1", To = "#lobby", Text = "hi" });
        Assert.True((await alice.ReplyAsync("a1")).Is("ack"));
    }

    [Fact]
    public async Task AServerOnSqliteLoadsNeitherNpgsqlNorStackExchangeRedis()
    {
        await using var server = await ServerProcess.StartAsync(Path.Combine(directory, "parley.db"));

        await ChatAsync(server);

        Assert.Empty(server.MappedFiles().Intersect(EngineAssemblies));
    }

    [Fact]
    public async Task ANodeOnPostgresAndRedisLoadsBoth()
    {
        var database = await postgres.CreateDatabaseAsync();
        try
        {
            await using var server = await ServerProcess.StartAsync(database, null, null,
                "--redis", redis.Endpoint, "--node", "n1", $"--Parley:Cluster=t{Guid.NewGuid():N}");

            await ChatAsync(server);

            Assert.Equal(EngineAssemblies.Order(), server.MappedFiles().Intersect(EngineAssemblies).Order());
        }
        finally
        {
            await postgres.DropDatabaseAsync(database);
        }
    }
}
