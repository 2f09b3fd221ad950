using System.Diagnostics.Metrics;
using Parley.Server.Diagnostics;

namespace Parley.Testing;

/// <summary>The server's instruments for a piece tested without a server.</summary>
public static class StandaloneMetrics
{
    /// <summary>Instruments on meters of their own: no server's export in this process picks them up.</summary>
    public static ParleyMetrics Create() => new(new OwnMeters());

    // meters of no host, scoped to their factory: a server's export drops meters of any factory but its own
    private sealed class OwnMeters : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options.Name, options.Version, options.Tags, scope: this);

        public void Dispose()
        {
        }
    }
}
