using System.Globalization;
using System.Text;
using System.Text.Json;
using Parley.Bench.Load;

namespace Parley.Bench.Report;

/// <summary>
/// Writes <c>docs/benchmarks.md</c> from the merged results of one compare run: the machine, the
/// exact commands, every figure side by side with Parley's ratio to the best peer, and the charts.
/// </summary>
internal static class BenchmarkReport
{
    public static readonly string[] Servers = ["parley", "parley-ws", "ngircd", "inspircd", "redis"];
    public static readonly string[] Peers = ["ngircd", "inspircd", "redis"];

    private static readonly Metric[] Metrics =
    [
        new("fanout", "deliveries per second", r => r.DeliveriesPerSecond, HigherIsBetter: true, "N0"),
        new("fanout", "messages acknowledged per second", r => r.MessagesPerSecond, HigherIsBetter: true, "N0"),
        new("fanout", "delivery latency p50 (ms)", r => r.Delivery.P50),
        new("fanout", "delivery latency p99 (ms)", r => r.Delivery.P99),
        new("fanout", "delivery latency p99.9 (ms)", r => r.Delivery.P999),
        new("fanout", "ack latency p50 (ms)", r => r.Ack.P50),
        new("fanout", "ack latency p99 (ms)", r => r.Ack.P99),
        new("fanout", "ack latency p99.9 (ms)", r => r.Ack.P999),
        new("fanout", "server CPU s per million deliveries", CpuPerMillion),
        new("fanout", "generator CPU s (all processes)", r => r.GeneratorCpuSeconds, Compared: false),
        new("steady", "deliveries per second", r => r.DeliveriesPerSecond, HigherIsBetter: true, "N0", Compared: false),
        new("steady", "server CPU s per million deliveries", CpuPerMillion),
        new("steady", "delivery latency p50 (ms)", r => r.Delivery.P50),
        new("steady", "delivery latency p99 (ms)", r => r.Delivery.P99),
        new("steady", "delivery latency p99.9 (ms)", r => r.Delivery.P999),
        new("steady", "ack latency p50 (ms)", r => r.Ack.P50),
        new("steady", "ack latency p99 (ms)", r => r.Ack.P99),
        new("steady", "ack latency p99.9 (ms)", r => r.Ack.P999),
        new("rooms", "messages per second", r => r.MessagesPerSecond, HigherIsBetter: true, "N0", Compared: false),
        new("rooms", "ack latency p50 (ms)", r => r.Ack.P50),
        new("rooms", "ack latency p99 (ms)", r => r.Ack.P99),
        new("rooms", "ack latency p99.9 (ms)", r => r.Ack.P999),
        new("rooms", "delivery latency p99 (ms)", r => r.Delivery.P99),
        new("rooms", "server CPU s per million deliveries", CpuPerMillion),
        new("rooms", "setup: users connected and joined (s)", r => r.SetupSeconds, Compared: false),
        new("idle", "server memory per connection (KiB)", r => r.BytesPerConnection / 1024),
        new("storm", "time until every user is welcomed (s)", r => r.SetupSeconds),
    ];

    public static void Write(string resultsDirectory, string docsDirectory, string? machineFile, JsonSerializerOptions json)
    {
        var runs = Directory.GetFiles(resultsDirectory, "*.json").Order(StringComparer.Ordinal)
            .Select(file => JsonSerializer.Deserialize<RunResult>(File.ReadAllText(file), json))
            .OfType<RunResult>()
            .GroupBy(result => (result.Server, result.Workload))
            .ToDictionary(group => group.Key, group => group.ToList());
        var results = runs.ToDictionary(pair => pair.Key, pair => RepeatedRuns.Combine(pair.Value));
        var repeats = results.Count == 0 ? 1 : results.Values.Max(r => r.Runs);
        Directory.CreateDirectory(docsDirectory);
        Charts.Write(results, docsDirectory);

        var md = new StringBuilder();
        md.AppendLine("# Benchmarks: Parley beside ngircd, InspIRCd and Redis");
        md.AppendLine();
        md.AppendLine("Written by `bench/compare.sh` (do not edit by hand: rerun it). Every server was started fresh on loopback for each");
        md.AppendLine("workload and measured by the same generator (`bench/Parley.Bench`) in the same run. Parley acks only after the");
        md.AppendLine("SQLite commit (WAL, `synchronous=FULL`); the peers store nothing. See [the method](benchmarks-method.md) for what");
        md.AppendLine("each figure means and how to judge it.");
        md.AppendLine();
        md.AppendLine("## The machine");
        md.AppendLine();
        md.AppendLine("```");
        md.AppendLine(machineFile is not null && File.Exists(machineFile) ? File.ReadAllText(machineFile).TrimEnd() : "(not recorded)");
        md.AppendLine("```");
        md.AppendLine();
        md.AppendLine("## The figures");
        md.AppendLine();
        md.AppendLine("The ratio is Parley's figure divided by the best peer's (ngircd, InspIRCd, Redis): above 1 is more, below 1 is less.");
        md.AppendLine("A run with any message lost, doubled or out of order, or any error, is marked **failed**.");
        if (repeats > 1)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"Each workload ran up to {repeats} times against each server, the servers taking turns: a figure is the median of the");
            md.AppendLine("runs, with the lowest and highest run in brackets where it is compared; the ratio is taken between medians, and the");
            md.AppendLine("verdict counts every run (it gives the number of runs).");
        }
        foreach (var workload in new[] { "fanout", "steady", "rooms", "idle", "storm" })
        {
            md.AppendLine();
            md.AppendLine($"### {Title(workload)}");
            md.AppendLine();
            md.Append("| figure |");
            foreach (var s in Servers)
            {
                md.Append(CultureInfo.InvariantCulture, $" {s} |");
            }
            md.AppendLine(" parley ÷ best peer | parley-ws ÷ best peer |");
            md.Append("|---|");
            md.Append(string.Concat(Enumerable.Repeat("---:|", Servers.Length + 2)));
            md.AppendLine();
            foreach (var metric in Metrics.Where(m => m.Workload == workload))
            {
                md.Append(CultureInfo.InvariantCulture, $"| {metric.Name} |");
                foreach (var s in Servers)
                {
                    md.Append(CultureInfo.InvariantCulture, $" {(results.TryGetValue((s, workload), out var r) ? Format(metric.Value(r), metric.Format) + Range(runs[(s, workload)], metric) : "–")} |");
                }
                md.Append(CultureInfo.InvariantCulture, $" {Ratio(results, metric, "parley")} | {Ratio(results, metric, "parley-ws")} |");
                md.AppendLine();
            }
            md.Append("| verdict (lost / doubled / out of order / errors) |");
            foreach (var s in Servers)
            {
                md.Append(results.TryGetValue((s, workload), out var r)
                    ? string.Create(CultureInfo.InvariantCulture,
                        $" {(r.Failed ? "**failed** " : "ok ")}{r.Lost}/{r.Doubled}/{r.OutOfOrder}/{r.Errors}{(r.Runs > 1 ? $" ({r.Runs} runs)" : "")} |")
                    : " – |");
            }
            md.AppendLine(" | |");
        }
        md.AppendLine();
        md.Append(ClusterSection.KeptFrom(Path.Combine(docsDirectory, "benchmarks.md")));
        md.AppendLine();
        md.AppendLine("## Charts");
        md.AppendLine();
        md.AppendLine("![Fan-out throughput](benchmarks-fanout.svg)");
        md.AppendLine();
        md.AppendLine("![Steady load latency](benchmarks-steady-latency.svg)");
        md.AppendLine();
        md.AppendLine("![Many rooms ack latency](benchmarks-rooms-ack.svg)");
        md.AppendLine();
        md.AppendLine("![Idle memory per connection](benchmarks-idle.svg)");
        md.AppendLine();
        md.AppendLine("## The exact commands");
        md.AppendLine();
        md.AppendLine("```");
        md.AppendLine("bench/compare.sh");
        var commands = Path.Combine(resultsDirectory, "commands.txt");
        if (File.Exists(commands))
        {
            foreach (var line in File.ReadLines(commands))
            {
                md.AppendLine(line.Replace(Path.GetDirectoryName(Path.GetFullPath(resultsDirectory))!, "bench", StringComparison.Ordinal));
            }
        }
        md.AppendLine("```");
        File.WriteAllText(Path.Combine(docsDirectory, "benchmarks.md"), md.ToString());
    }

    // a run that delivered nothing has no CPU per delivery
    private static double CpuPerMillion(RunResult r) => r.DeliveriesPerSecond > 0 ? r.ServerCpuPerMillion : double.NaN;

    private static string Title(string workload) => workload switch
    {
        "fanout" => "1. Fan-out: one room, 10 senders with a window of outstanding sends",
        "steady" => "2. Steady load: the same room at a fixed rate",
        "rooms" => "3. Many rooms: rooms of 10, each user sending once a second, durable acks",
        "idle" => "4. Idle connections",
        _ => "5. Connect storm",
    };

    private static string Ratio(Dictionary<(string, string), RunResult> results, Metric metric, string server)
    {
        if (!metric.Compared || !results.TryGetValue((server, metric.Workload), out var mine))
        {
            return "";
        }
        var peers = Peers.Where(p => results.ContainsKey((p, metric.Workload)))
            .Select(p => metric.Value(results[(p, metric.Workload)])).Where(v => !double.IsNaN(v)).ToList();
        if (peers.Count == 0)
        {
            return "";
        }
        var best = metric.HigherIsBetter ? peers.Max() : peers.Min();
        return best == 0 ? "" : (metric.Value(mine) / best).ToString("F2", CultureInfo.InvariantCulture);
    }

    // the lowest and highest of repeated runs, for a compared figure
    private static string Range(List<RunResult> runs, Metric metric)
    {
        var values = runs.Select(metric.Value).Where(v => !double.IsNaN(v)).ToList();
        return !metric.Compared || values.Count < 2
            ? ""
            : $" ({Format(values.Min(), metric.Format)}–{Format(values.Max(), metric.Format)})";
    }

    private static string Format(double value, string format) =>
        double.IsNaN(value) ? "–" : value.ToString(format == "N0" ? "N0" : value >= 100 ? "F0" : value >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture);

    private sealed record Metric(string Workload, string Name, Func<RunResult, double> Value, bool HigherIsBetter = false, string Format = "F2", bool Compared = true);
}
