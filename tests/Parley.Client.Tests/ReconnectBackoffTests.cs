using Parley.Client.Internal;

namespace Parley.Client.Tests;

public class ReconnectBackoffTests
{
    private static readonly TimeSpan Min = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(1, 200, 400)]
    [InlineData(2, 400, 800)]
    [InlineData(3, 800, 1600)]
    [InlineData(5, 3200, 6400)]
    public void EachAttemptWaitsBetweenHalfAndAllOfItsCeiling(int attempt, int lowestMs, int highestMs)
    {
        var lowest = new ReconnectBackoff(Min, Max, () => 0).DelayFor(attempt);
        var highest = new ReconnectBackoff(Min, Max, () => 0.999999).DelayFor(attempt);

        Assert.Equal(TimeSpan.FromMilliseconds(lowestMs), lowest);
        Assert.InRange(highest, TimeSpan.FromMilliseconds(highestMs - 1), TimeSpan.FromMilliseconds(highestMs));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(40)]
    [InlineData(int.MaxValue)]
    public void TheDelayNeverExceedsTheMaximum(int attempt)
    {
        var delay = new ReconnectBackoff(Min, Max, () => 0.999999).DelayFor(attempt);

        Assert.InRange(delay, TimeSpan.FromSeconds(9.99), Max);
    }

    [Fact]
    public void JitterSpreadsTheDelaysOfOneAttempt()
    {
        var backoff = new ReconnectBackoff(Min, Max, new Random(42).NextDouble);

        var delays = Enumerable.Range(0, 50).Select(_ => backoff.DelayFor(4)).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(1600), TimeSpan.FromMilliseconds(3200)));
        Assert.True(delays.Distinct().Count() > 10);
    }

    [Fact]
    public void TheDelayNeverFallsBelowTheMinimumEvenWhenTheRangeIsNarrow()
    {
        var backoff = new ReconnectBackoff(Min, Min, () => 0);

        Assert.Equal(Min, backoff.DelayFor(1));
        Assert.Equal(Min, backoff.DelayFor(9));
    }

    [Fact]
    public void AttemptsCountFromOne()
    {
        var backoff = new ReconnectBackoff(Min, Max);

        Assert.Throws<ArgumentOutOfRangeException>(() => backoff.DelayFor(0));
    }
}
