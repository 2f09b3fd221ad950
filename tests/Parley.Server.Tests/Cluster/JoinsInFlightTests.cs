using Parley.Server.Core.Cluster;
using Parley.Server.Tests.Storage;

namespace Parley.Server.Tests.Cluster;

/// <summary>Which local members' joins are still on their way through the backplane.</summary>
public sealed class JoinsInFlightTests
{
    private readonly ManualClock clock = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void AJoinIsInFlightUntilItsEnvelopeComesBackOncePerJoin()
    {
        var joins = new JoinsInFlight(clock);
        joins.Add("#dev", "bob");
        joins.Add("#dev", "bob");

        Assert.True(joins.Contains("#dev", "bob"));
        Assert.False(joins.Contains("#dev", "alice"));
        Assert.False(joins.Contains("#lobby", "bob"));
        joins.Remove("#dev", "bob");
        Assert.True(joins.Contains("#dev", "bob"));
        joins.Remove("#dev", "bob");
        Assert.False(joins.Contains("#dev", "bob"));
    }

    [Fact]
    public void AJoinWhoseEnvelopeNeverComesBackIsGivenUpAfterTenSeconds()
    {
        var joins = new JoinsInFlight(clock);
        joins.Add("#dev", "bob");

        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.True(joins.Contains("#dev", "bob"));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(joins.Contains("#dev", "bob"));
    }

    [Fact]
    public void AReconnectForgetsEveryJoin()
    {
        var joins = new JoinsInFlight(clock);
        joins.Add("#dev", "bob");
        joins.Add("#lobby", "carol");

        joins.Clear();

        Assert.False(joins.Contains("#dev", "bob"));
        Assert.False(joins.Contains("#lobby", "carol"));
    }
}
