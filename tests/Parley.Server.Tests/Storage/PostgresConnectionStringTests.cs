using Npgsql;
using Parley.Server.Postgres;

namespace Parley.Server.Tests.Storage;

public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void APostgresUrlBecomesAnNpgsqlConnectionString()
    {
        var builder = new NpgsqlConnectionStringBuilder(
            PostgresConnectionString.Normalize("postgres://parley:s%40cret@db.internal:5433/chat?sslmode=disable"));

        Assert.Equal(("db.internal", 5433, "chat", "parley", "s@cret", SslMode.Disable),
            (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password, builder.SslMode));
    }

    [Fact]
    public void AConnectionStringPassesThrough()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Normalize("Host=127.0.0.1;Port=5999;Database=chat"));

        Assert.Equal(("127.0.0.1", 5999, "chat"), (builder.Host, builder.Port, builder.Database));
    }

    [Theory]
    [InlineData("postgres://")]
    [InlineData("Host=127.0.0.1;Frobnicate=yes")]
    [InlineData("postgres://h/db?frobnicate=1")]
    public void AnInvalidDatabaseIsAClearError(string db)
    {
        var error = Assert.Throws<ArgumentException>(() => PostgresConnectionString.Normalize(db));

        Assert.Contains("--db", error.Message, StringComparison.Ordinal);
    }
}
