namespace Parley.Server.Tests.Storage;

/// <summary>A clock that moves only when a test moves it.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long utcTicks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref utcTicks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref utcTicks, by.Ticks);

    public void Set(DateTimeOffset now) => Interlocked.Exchange(ref utcTicks, now.UtcTicks);
}
