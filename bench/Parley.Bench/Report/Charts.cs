using Parley.Bench.Load;
using ScottPlot;

namespace Parley.Bench.Report;

/// <summary>The charts of docs/benchmarks.md, as SVG: throughput, latency percentiles, memory.</summary>
internal static class Charts
{
    public static void Write(Dictionary<(string Server, string Workload), RunResult> results, string directory)
    {
        Single(results, "fanout", r => r.DeliveriesPerSecond, "Fan-out: deliveries per second (higher is better)", "deliveries / s",
            Path.Combine(directory, "benchmarks-fanout.svg"));
        Single(results, "idle", r => r.BytesPerConnection / 1024, "Idle: server memory per connection (lower is better)", "KiB",
            Path.Combine(directory, "benchmarks-idle.svg"));
        Percentiles(results, "steady", r => r.Delivery, "Steady load: delivery latency (lower is better)",
            Path.Combine(directory, "benchmarks-steady-latency.svg"));
        Percentiles(results, "rooms", r => r.Ack, "Many rooms: ack latency (lower is better)",
            Path.Combine(directory, "benchmarks-rooms-ack.svg"));
    }

    private static void Single(Dictionary<(string, string), RunResult> results, string workload, Func<RunResult, double> value,
        string title, string unit, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var ticks = new List<Tick>();
        for (var i = 0; i < BenchmarkReport.Servers.Length; i++)
        {
            var server = BenchmarkReport.Servers[i];
            if (results.TryGetValue((server, workload), out var r))
            {
                plot.Add.Bar(new Bar { Position = i, Value = value(r), FillColor = palette.GetColor(i) });
            }
            ticks.Add(new Tick(i, server));
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.YLabel(unit);
        plot.SaveSvg(path, 720, 400);
    }

    private static void Percentiles(Dictionary<(string, string), RunResult> results, string workload, Func<RunResult, LatencySummary> latency,
        string title, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        string[] names = ["p50", "p99", "p99.9"];
        var ticks = new List<Tick>();
        for (var i = 0; i < BenchmarkReport.Servers.Length; i++)
        {
            var server = BenchmarkReport.Servers[i];
            ticks.Add(new Tick(i * 4 + 1, server));
            if (!results.TryGetValue((server, workload), out var r))
            {
                continue;
            }
            var l = latency(r);
            double[] values = [l.P50, l.P99, l.P999];
            for (var p = 0; p < values.Length; p++)
            {
                plot.Add.Bar(new Bar { Position = i * 4 + p, Value = values[p], FillColor = palette.GetColor(p) });
            }
        }
        for (var p = 0; p < names.Length; p++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = names[p], FillColor = palette.GetColor(p) });
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.YLabel("ms");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SaveSvg(path, 720, 400);
    }
}
