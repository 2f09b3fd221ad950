using System.Text.Json;
using Parley.Bench.Load;
using Parley.Bench.Report;

namespace Parley.Bench.Tests;

/// <summary>bench/cluster.sh's pages, written from its three runs by the same report code as the comparison's.</summary>
public sealed class ClusterReportTests : IDisposable
{
    private const string Command = "bench/cluster.sh --duration 10 --users 1000 --senders 10 --window 16";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-cluster-report-").FullName;

    private string Results => Path.Combine(_dir, "results");

    private string Docs => Path.Combine(_dir, "docs");

    [Fact]
    public void ThePageHasTheFiguresSideBySideAndSaysWhatLimitsEach()
    {
        WriteRun("sqlite", deliveries: 2_000_000, cpuPerMillion: 0.5, ackP50: 1.25);
        WriteRun("postgres", deliveries: 1_000_000, cpuPerMillion: 0.8, ackP50: 4.04);
        WriteRun("postgres-redis-2", deliveries: 900_000, cpuPerMillion: 1.6, ackP50: 6.5);

        Write();

        var page = File.ReadAllText(Path.Combine(Docs, "benchmarks-cluster.md"));
        Assert.Contains("| deliveries per second | 2,000,000 | 1,000,000 | 900,000 |", page, StringComparison.Ordinal);
        Assert.Contains("| deliveries per second of server CPU | 2,000,000 | 1,250,000 | 625,000 |", page, StringComparison.Ordinal);
        Assert.Contains("| ack latency p50 (ms) | 1.25 | 4.04 | 6.5 |", page, StringComparison.Ordinal);
        Assert.Contains("| verdict (lost / doubled / out of order / errors) | ok 0/0/0/0 | ok 0/0/0/0 | ok 0/0/0/0 |", page, StringComparison.Ordinal);
        // the cluster's share of one node's work per core-second: 625,000 of 1,250,000
        Assert.Contains("90% of one PostgreSQL node's deliveries per second, and 0.5 of its deliveries per second of server CPU", page, StringComparison.Ordinal);
        Assert.Contains("2 cores, a machine of the test", page, StringComparison.Ordinal);
        Assert.Contains("parley-bench run --server parley --label sqlite", page, StringComparison.Ordinal);
        Assert.Contains(Command, page, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSectionTakesThePlaceOfTheComparisonsPlaceholderAndThenOfItself()
    {
        WriteRun("sqlite", deliveries: 2_000_000, cpuPerMillion: 0.5, ackP50: 1);
        Directory.CreateDirectory(Docs);
        var benchmarks = Path.Combine(Docs, "benchmarks.md");
        File.WriteAllText(benchmarks, "# Benchmarks\n\nthe comparison\n\n" + ClusterSection.Placeholder + "\n## Charts\n");

        Write();
        Write();

        var page = File.ReadAllText(benchmarks);
        Assert.DoesNotContain(ClusterSection.Placeholder, page, StringComparison.Ordinal);
        Assert.Single(page.Split('\n'), line => line == ClusterSection.Begin);
        Assert.Contains("| deliveries per second | 2,000,000 | missing | missing |", page, StringComparison.Ordinal);
        Assert.True(page.IndexOf("the comparison", StringComparison.Ordinal) < page.IndexOf(ClusterSection.Begin, StringComparison.Ordinal));
        Assert.True(page.IndexOf(ClusterSection.End, StringComparison.Ordinal) < page.IndexOf("## Charts", StringComparison.Ordinal));
        Assert.Contains("(a run is missing: no sentences)", File.ReadAllText(Path.Combine(Docs, "benchmarks-cluster.md")), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write()
    {
        Directory.CreateDirectory(Docs);
        ClusterReport.Write(Results, Docs, Command, Json);
    }

    private void WriteRun(string label, double deliveries, double cpuPerMillion, double ackP50)
    {
        Directory.CreateDirectory(Results);
        var seconds = 10.0;
        var run = new RunResult
        {
            Server = label, Workload = "fanout", Seconds = seconds, DeliveriesPerSecond = deliveries, MessagesPerSecond = deliveries / 1000,
            ServerCpuPerMillion = cpuPerMillion, ServerCpuSeconds = deliveries * seconds / 1_000_000 * cpuPerMillion,
            Ack = new LatencySummary { P50 = ackP50 },
        };
        File.WriteAllText(Path.Combine(Results, $"{label}.fanout.json"), JsonSerializer.Serialize(run, Json));
        File.WriteAllText(Path.Combine(Results, "machine.txt"), "cpu: 2 cores, a machine of the test\n");
        File.AppendAllText(Path.Combine(Results, "commands.txt"), $"dotnet parley-bench run --server parley --label {label}\n");
    }
}
