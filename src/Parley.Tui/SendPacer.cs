namespace Parley.Tui;

/// <summary>
/// Keeps the client's sends under the server's flow control (protocol v1: 20 a second, bursts of 40), a
/// little below it so that network jitter does not bunch them over. A script that pipes a long file then
/// sends at the allowed pace, in order, instead of collecting <c>rate_limited</c> refusals.
/// </summary>
internal sealed class SendPacer
{
    private readonly double _perSecond;
    private readonly double _burst;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _last;

    /// <summary>Creates a pacer that starts with a full burst.</summary>
    public SendPacer(double perSecond, int burst, TimeProvider time)
    {
        _perSecond = perSecond;
        _burst = burst;
        _time = time;
        _tokens = burst;
        _last = time.GetTimestamp();
    }

    /// <summary>The pace used against a server with the protocol's defaults.</summary>
    public static SendPacer ForProtocolDefaults(TimeProvider time) => new(18, 30, time);

    /// <summary>Takes one send's token; returns how long to wait before sending it (zero when one is there).</summary>
    /// <remarks>Not thread-safe: one caller (the outbox's one loop).</remarks>
    public TimeSpan Take()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + _time.GetElapsedTime(_last, now).TotalSeconds * _perSecond);
        _last = now;
        _tokens -= 1;
        return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _perSecond);
    }
}
