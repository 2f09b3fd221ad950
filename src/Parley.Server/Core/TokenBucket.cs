namespace Parley.Server.Core;

/// <summary>Per-connection flow control: <c>rate</c> tokens a second, at most <c>burst</c> saved up.</summary>
/// <remarks>Used only by the connection's read loop, so it needs no lock.</remarks>
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
        _time = time;
        _ratePerSecond = ratePerSecond;
        _burst = burst;
        _tokens = burst;
        _lastRefill = time.GetTimestamp();
    }

    /// <summary>Takes a token, or tells how long until the next one (rounded up to the millisecond).</summary>
    public bool TryTake(out long retryAfterMs)
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_lastRefill, now).TotalSeconds * _ratePerSecond));
        _lastRefill = now;
        if (_tokens >= 1)
        {
            _tokens -= 1;
            retryAfterMs = 0;
            return true;
        }
        retryAfterMs = Math.Max(1, (long)Math.Ceiling((1 - _tokens) / _ratePerSecond * 1000));
        return false;
    }
}
