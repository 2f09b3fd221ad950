using System.Collections.Concurrent;
using System.Net;
using System.Threading.RateLimiting;

namespace Parley.Server.Limits;

/// <summary>
/// Admits new connections, TCP and HTTP alike, per address: at most so many open at once, and so many new
/// ones a second (a token bucket per address, the framework's <see cref="PartitionedRateLimiter"/>).
/// </summary>
public sealed class ConnectionGate : IDisposable
{
    private readonly LimitOptions _options;
    private readonly RefusalLog _refusals;
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);
    private readonly PartitionedRateLimiter<string>? _newConnections;

    /// <summary>Creates the gate of one server.</summary>
    public ConnectionGate(LimitOptions options, RefusalLog refusals)
    {
        _options = options;
        _refusals = refusals;
        if (!options.Disabled)
        {
            var bucket = new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.NewConnectionsBurst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1 / options.NewConnectionsPerSecond),
                QueueLimit = 0,
                AutoReplenishment = true,
            };
            _newConnections = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => bucket));
        }
    }

    /// <summary>
    /// Admits a connection from <paramref name="address"/>, or refuses it (then it is logged and counted, and
    /// the caller tells the client <c>too_many_connections</c> and closes). Dispose what it gives once the
    /// connection has ended.
    /// </summary>
    public Admission Admit(IPAddress? address)
    {
        if (_options.Disabled)
        {
            return new Admission(this, null);
        }
        var key = AddressKey.Of(address);
        using (var lease = _newConnections!.AttemptAcquire(key))
        {
            if (!lease.IsAcquired)
            {
                _refusals.Refused(key, RefusalReasons.ConnectionChurn);
                return Admission.Refused;
            }
        }
        var open = _open.AddOrUpdate(key, 1, static (_, count) => count + 1);
        if (open > _options.ConnectionsPerAddress)
        {
            Leave(key);
            _refusals.Refused(key, RefusalReasons.TooManyConnections);
            return Admission.Refused;
        }
        return new Admission(this, key);
    }

    /// <summary>How many connections from <paramref name="address"/> are open now (for tests and metrics).</summary>
    public int OpenFrom(IPAddress? address) => _open.TryGetValue(AddressKey.Of(address), out var count) ? count : 0;

    /// <inheritdoc />
    public void Dispose() => _newConnections?.Dispose();

    private void Leave(string key)
    {
        while (true)
        {
            var count = _open[key];
            if (count == 1 ? _open.TryRemove(new KeyValuePair<string, int>(key, 1)) : _open.TryUpdate(key, count - 1, count))
            {
                return;
            }
        }
    }

    /// <summary>A connection admitted (release it when it ends), or one refused.</summary>
    public readonly struct Admission : IDisposable
    {
        private readonly ConnectionGate? _gate;
        private readonly string? _key;

        internal Admission(ConnectionGate? gate, string? key)
        {
            _gate = gate;
            _key = key;
        }

        internal static Admission Refused => default;

        /// <summary>True when the connection may go on.</summary>
        public bool IsAdmitted => _gate is not null;

        /// <summary>Counts the connection as ended.</summary>
        public void Dispose()
        {
            if (_gate is not null && _key is not null)
            {
                _gate.Leave(_key);
            }
        }
    }
}
