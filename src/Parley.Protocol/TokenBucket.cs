namespace Parley.Protocol;

/// <summary>
/// The shape of protocol v1's flow control: <c>rate</c> tokens a second, at most <c>burst</c> saved
/// up. The server refuses a send without a token (<see cref="TryTake"/>); a client paces its sends
/// under the server's limit by waiting for the token it takes (<see cref="Reserve"/>).
/// </summary>
/// <remarks>Not thread-safe: each user has one caller (a connection's read loop, a client's outbox).</remarks>
public sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private readonly double _ratePerSecond;
    private readonly double _burst;
    private double _tokens;
    private long _lastRefill;

    /// <summary>Creates a full bucket.</summary>
    public TokenBucket(double ratePerSecond, int burst, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _ratePerSecond = ratePerSecond;
        _burst = burst;
        _tokens = burst;
        _lastRefill = time.GetTimestamp();
    }

    /// <summary>Takes a token, or tells how long until the next one (rounded up to the millisecond).</summary>
    public bool TryTake(out long retryAfterMs)
    {
        Refill();
        if (_tokens >= 1)
        {
            _tokens -= 1;
            retryAfterMs = 0;
            return true;
        }
        retryAfterMs = Math.Max(1, (long)Math.Ceiling((1 - _tokens) / _ratePerSecond * 1000));
        return false;
    }

    /// <summary>Takes a token even when none is there yet; returns how long to wait until it is (zero when it was there).</summary>
    public TimeSpan Reserve()
    {
        Refill();
        _tokens -= 1;
        return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _ratePerSecond);
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_lastRefill, now).TotalSeconds * _ratePerSecond));
        _lastRefill = now;
    }
}
