using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Parley.Server.Diagnostics;

/// <summary>
/// What <c>/metrics</c> exports, through OpenTelemetry's Prometheus exporter: the server's meter, the runtime's
/// (collections, pauses, memory, the thread pool) and the HTTP stack's (Kestrel's connections, TLS handshakes,
/// requests).
/// </summary>
internal static class MetricsExport
{
    private static readonly string[] Meters =
        [ParleyMetrics.MeterName, "System.Runtime", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    /// <summary>Adds the server's instruments and their export.</summary>
    public static void AddParleyMetrics(this IServiceCollection services)
    {
        services.AddSingleton<ParleyMetrics>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("parley-server"))
            .WithMetrics(metrics => metrics
                .AddMeter(Meters)
                // a scrape reads the instruments as they are now, not a copy kept from the last one
                .AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0));
        // a meter is found by its name, and another host in this process (tests run many) has meters of the same
        // names: only those this host's factory made are this server's
        services.ConfigureOpenTelemetryMeterProvider((provider, metrics) =>
        {
            var own = provider.GetRequiredService<IMeterFactory>();
            metrics.AddView(instrument => instrument.Meter.Scope is IMeterFactory factory && factory != own ? MetricStreamConfiguration.Drop : null);
        });
    }
}
