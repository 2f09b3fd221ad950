using Parley.Protocol;

namespace Parley.Tui;

/// <summary>
/// Keeps the client's sends under the server's flow control (protocol v1: 20 a second, bursts of 40). A
/// script that pipes a long file then sends at the allowed pace, in order, instead of collecting
/// <c>rate_limited</c> refusals, which would be sent again after the lines behind them.
/// </summary>
/// <remarks>
/// Pacing alone is not enough: a link that stalls and then delivers what it held at once bunches sends
/// the client spaced out, and the server counts them as they arrive. So a send also waits until at most
/// <see cref="MaxInFlight"/> are unanswered. The server takes one connection's frames in order, so when a
/// send is handed over every send <see cref="MaxInFlight"/> places before it was taken. Then, of any run
/// of sends the server takes in a span of time, all but the first <see cref="MaxInFlight"/> were handed
/// over within the span, at the client's pace: at most burst + 1 + rate × span of them (the one more is
/// a send whose wait ran late while the bucket filled up again). With <c>MaxInFlight + burst</c> below the
/// server's burst and the rate below the server's, every send finds a token however the link bunches them.
/// </remarks>
internal sealed class SendPacer(double perSecond, int burst, int maxInFlight, TimeProvider time)
{
    private readonly TokenBucket _bucket = new(perSecond, burst, time);

    /// <summary>The pace used against a server with the protocol's defaults: 30 + 1 + 8 stays within its burst of 40.</summary>
    public static SendPacer ForProtocolDefaults(TimeProvider time) => new(18, 30, 8, time);

    /// <summary>Sends a second, in the long run.</summary>
    public double PerSecond { get; } = perSecond;

    /// <summary>Sends that may go at once after a pause.</summary>
    public int Burst { get; } = burst;

    /// <summary>How many sends may wait for their ack at once.</summary>
    public int MaxInFlight { get; } = maxInFlight;

    /// <summary>Takes one send's token; returns how long to wait before sending it (zero when one is there).</summary>
    /// <remarks>Not thread-safe: one caller (the outbox's one loop).</remarks>
    public TimeSpan Take() => _bucket.Reserve();
}
