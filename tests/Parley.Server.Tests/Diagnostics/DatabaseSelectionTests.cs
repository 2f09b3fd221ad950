using Parley.Server.Hosting;

namespace Parley.Server.Tests.Diagnostics;

public sealed class DatabaseSelectionTests
{
    [Theory]
    [InlineData("parley.db", false)]
    [InlineData("/var/lib/parley/chat.db", false)]
    [InlineData("Host=127.0.0.1;Database=parley", true)]
    [InlineData("host=db;port=5432;database=parley;username=parley", true)]
    [InlineData("postgres://parley@db/parley", true)]
    [InlineData("postgresql://db:5432/parley", true)]
    public void DbSelectsPostgresForAUrlOrAConnectionStringWithAHost(string db, bool postgres)
    {
        Assert.Equal(postgres, DatabaseSelection.IsPostgres(db));
        Assert.True(DatabaseSelection.IsValid(db));
    }

    [Fact]
    public void TheStartupLineNamesThePostgresDatabaseWithoutItsPassword()
    {
        var options = new ServerOptions { Db = "Host=db.internal;Port=5433;Database=chat;Password=hunter2" };

        Assert.Equal("PostgreSQL db.internal:5433/chat", DatabaseSelection.Describe(options));
    }

    [Theory]
    [InlineData("")]
    [InlineData("postgres://")]
    [InlineData("Host=\"unterminated")]
    public void AnUnusableDbIsInvalid(string db)
    {
        Assert.False(DatabaseSelection.IsValid(db));
    }
}
