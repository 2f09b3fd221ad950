namespace Parley.Protocol.Tests;

/// <summary>The flow-control bucket the server refuses with and the terminal client paces with.</summary>
public sealed class TokenBucketTests
{
    private readonly StoppedClock _clock = new();

    [Fact]
    public void TheBurstIsTakenThenASendIsRefusedWithTheWaitForTheNextToken()
    {
        var bucket = new TokenBucket(20, 2, _clock);

        Assert.True(bucket.TryTake(out _));
        Assert.True(bucket.TryTake(out _));
        Assert.False(bucket.TryTake(out var retryAfterMs));
        Assert.Equal(50, retryAfterMs);
    }

    [Fact]
    public void ARefusedSendTakesNothingAndTimeRefillsNoMoreThanTheBurst()
    {
        var bucket = new TokenBucket(20, 2, _clock);
        bucket.TryTake(out _);
        bucket.TryTake(out _);
        Assert.False(bucket.TryTake(out _));

        _clock.Ticks += TimeSpan.FromMilliseconds(50).Ticks;
        Assert.True(bucket.TryTake(out _));
        _clock.Ticks += TimeSpan.FromMinutes(1).Ticks;
        Assert.True(bucket.TryTake(out _));
        Assert.True(bucket.TryTake(out _));
        Assert.False(bucket.TryTake(out _));
    }

    [Fact]
    public void AReservationGoesIntoDebtAndSaysHowLongToWait()
    {
        var bucket = new TokenBucket(10, 1, _clock);

        Assert.Equal(TimeSpan.Zero, bucket.Reserve());
        Assert.Equal(TimeSpan.FromMilliseconds(100), bucket.Reserve());
        // a reservation in debt leaves nothing for a send that may not wait
        Assert.False(bucket.TryTake(out var retryAfterMs));
        Assert.Equal(200, retryAfterMs);
    }

    private sealed class StoppedClock : TimeProvider
    {
        public long Ticks { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;
    }
}
