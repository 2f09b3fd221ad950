using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Parley.Server.Diagnostics;

namespace Parley.Server.Limits;

/// <summary>
/// Counts every refusal by reason (<c>/metrics</c>) and logs it once per address and reason per minute, not
/// once per attempt: an attacker must not be able to fill the log.
/// </summary>
public sealed partial class RefusalLog(ParleyMetrics metrics, TimeProvider time, ILogger<RefusalLog> logger)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMinutes(1);

    // when each (address, reason) was last logged, and how many refusals since
    private readonly ConcurrentDictionary<(string Address, string Reason), Entry> _logged = new();

    /// <summary>Counts a refusal of <paramref name="reason"/> for <paramref name="address"/> (an <see cref="AddressKey"/>), and logs it unless it was logged within the minute.</summary>
    public void Refused(string address, string reason)
    {
        metrics.Refused(reason);
        var now = time.GetTimestamp();
        var entry = _logged.GetOrAdd((address, reason), static _ => new Entry());
        var suppressed = Interlocked.Increment(ref entry.Since);
        var last = Interlocked.Read(ref entry.LoggedAt);
        if (last != 0 && time.GetElapsedTime(last, now) < Quiet)
        {
            return;
        }
        if (Interlocked.CompareExchange(ref entry.LoggedAt, now, last) != last)
        {
            return;
        }
        Interlocked.Exchange(ref entry.Since, 0);
        LogRefused(reason, address, suppressed);
        if (_logged.Count > 10_000)
        {
            Forget(now);
        }
    }

    // entries quiet for a minute say nothing: an address that moves on leaves no memory behind
    private void Forget(long now)
    {
        foreach (var (key, entry) in _logged)
        {
            if (time.GetElapsedTime(Interlocked.Read(ref entry.LoggedAt), now) >= Quiet)
            {
                _logged.TryRemove(key, out _);
            }
        }
    }

    [LoggerMessage(EventId = ParleyEventIds.Refused, Level = LogLevel.Warning,
        Message = "Refused {Reason} from {Address} ({Count} times since the last line about it; one line a minute)")]
    private partial void LogRefused(string reason, string address, long count);

    private sealed class Entry
    {
        public long LoggedAt;
        public long Since;
    }
}
