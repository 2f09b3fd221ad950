using Parley.Protocol;

namespace Parley.Tui;

/// <summary>
/// Keeps the client's sends under the server's flow control (protocol v1: 20 a second, bursts of 40), a
/// little below it so that network jitter does not bunch them over. A script that pipes a long file then
/// sends at the allowed pace, in order, instead of collecting <c>rate_limited</c> refusals.
/// </summary>
internal sealed class SendPacer(double perSecond, int burst, TimeProvider time)
{
    private readonly TokenBucket _bucket = new(perSecond, burst, time);

    /// <summary>The pace used against a server with the protocol's defaults.</summary>
    public static SendPacer ForProtocolDefaults(TimeProvider time) => new(18, 30, time);

    /// <summary>Takes one send's token; returns how long to wait before sending it (zero when one is there).</summary>
    /// <remarks>Not thread-safe: one caller (the outbox's one loop).</remarks>
    public TimeSpan Take() => _bucket.Reserve();
}
