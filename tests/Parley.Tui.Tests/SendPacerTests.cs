using Parley.Server.Hosting;

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
        var pacer = new SendPacer(10, 3, 1, clock);
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
        var pacer = new SendPacer(10, 2, 1, clock);
        pacer.Take();
        pacer.Take();
        clock.Ticks += TimeSpan.FromSeconds(60).Ticks;
        Assert.Equal(TimeSpan.Zero, pacer.Take());
        Assert.Equal(TimeSpan.Zero, pacer.Take());
        Assert.Equal(TimeSpan.FromMilliseconds(100), pacer.Take());
    }

    [Fact]
    public void TheDefaultPaceWithItsSendsInFlightStaysWithinTheServersDefaultFlowControl()
    {
        var pacer = SendPacer.ForProtocolDefaults(new StoppedClock());
        var server = new ServerOptions();
        Assert.True(pacer.PerSecond < server.SendsPerSecond, $"{pacer.PerSecond} a second against the server's {server.SendsPerSecond}");
        Assert.True(
            pacer.Burst + 1 + pacer.MaxInFlight <= server.SendBurst,
            $"a burst of {pacer.Burst} and {pacer.MaxInFlight} in flight against the server's burst of {server.SendBurst}");
    }
}
