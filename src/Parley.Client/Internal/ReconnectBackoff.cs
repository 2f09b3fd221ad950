namespace Parley.Client.Internal;

/// <summary>
/// Exponential backoff with "equal jitter": attempt n waits a random time between half and all of
/// <c>min × 2ⁿ</c>, capped at <c>max</c> and never below <c>min</c>. The jitter spreads the clients of a
/// restarted server over time; the lower half keeps the growth exponential.
/// </summary>
internal sealed class ReconnectBackoff
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private readonly Func<double> _random;

    /// <param name="min">The floor, and the scale of the first step.</param>
    /// <param name="max">The ceiling.</param>
    /// <param name="random">A source of numbers in [0, 1); <see cref="Random.Shared"/> if null.</param>
    public ReconnectBackoff(TimeSpan min, TimeSpan max, Func<double>? random = null)
    {
        if (min <= TimeSpan.Zero || max < min)
        {
            throw new ArgumentOutOfRangeException(nameof(min), "The backoff needs 0 < min <= max.");
        }
        _min = min;
        _max = max;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>The wait before attempt <paramref name="attempt"/> (from 1).</summary>
    public TimeSpan DelayFor(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        // past 2^40 any sane min is over any sane max; the cap keeps the double finite
        var ceiling = Math.Min(_max.Ticks, _min.Ticks * Math.Pow(2, Math.Min(attempt, 40)));
        var ticks = ceiling / 2 + _random() * (ceiling / 2);
        return TimeSpan.FromTicks((long)Math.Clamp(ticks, _min.Ticks, _max.Ticks));
    }
}
