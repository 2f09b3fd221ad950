namespace Parley.Tui.Tests;

public class SendPacerTests
{
    private sealed class StoppedClock : TimeProvider
    {
        public long Ticks { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;
    }

    [Fact]
    public void BurstPassesAtOnceThenSendsWaitTheirTurn()
    {
        var clock = new StoppedClock();
        var pacer = new SendPacer(10, 3, clock);
        Assert.Equal(TimeSpan.Zero, pacer.Take());
        Assert.Equal(TimeSpan.Zero, pacer.Take());
        Assert.Equal(TimeSpan.Zero, pacer.Take());
        Assert.Equal(TimeSpan.FromMilliseconds(100), pacer.Take());
        Assert.Equal(TimeSpan.FromMilliseconds(200), pacer.Take());
    }

    [Fact]
    public void TimeRefillsTheBurstButNeverBeyondIt()
    {
        var clock = new StoppedClock();
        var pacer = new SendPacer(10, 2, clock);
        pacer.Take();
        pacer.Take();
        clock.Ticks += TimeSpan.FromSeconds(60).Ticks;
        Assert.Equal(TimeSpan.Zero, pacer.Take());
        Assert.Equal(TimeSpan.Zero, pacer.Take());
        Assert.Equal(TimeSpan.FromMilliseconds(100), pacer.Take());
    }
}
