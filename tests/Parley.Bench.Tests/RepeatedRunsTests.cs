using System.Text.Json;
using Parley.Bench.Load;
using Parley.Bench.Report;

namespace Parley.Bench.Tests;

/// <summary>Repeated runs of a workload against a server become one result: medians, with every failure kept.</summary>
public sealed class RepeatedRunsTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-repeats-").FullName;

    private static RunResult Run(double cpuPerMillion, double deliveryP99, long lost = 0) => new()
    {
        Server = "parley", Workload = "steady", DeliveriesPerSecond = 100_000, ServerCpuPerMillion = cpuPerMillion,
        Delivery = new LatencySummary { Count = 1_000, P50 = 1, P99 = deliveryP99, P999 = deliveryP99 * 2, Max = deliveryP99 * 3 },
        Lost = lost, Failed = lost > 0,
    };

    [Fact]
    public void EveryFigureIsTheMedianOfTheRunsAndEveryCountTheirSum()
    {
        var combined = RepeatedRuns.Combine([Run(9.0, 30), Run(8.0, 20), Run(8.5, 40)]);

        Assert.Equal(3, combined.Runs);
        Assert.Equal(8.5, combined.ServerCpuPerMillion);
        // each percentile on its own: the median p99 need not come from the median CPU's run
        Assert.Equal(30, combined.Delivery.P99);
        // the maximum is the worst run's
        Assert.Equal(120, combined.Delivery.Max);
        Assert.Equal(3_000, combined.Delivery.Count);
    }

    [Fact]
    public void OneFailedRunFailsTheCombinedResult()
    {
        var combined = RepeatedRuns.Combine([Run(8.0, 20), Run(8.1, 21, lost: 2), Run(8.2, 22)]);

        Assert.True(combined.Failed);
        Assert.Equal(2, combined.Lost);
    }

    [Fact]
    public void ARunThatDeliveredNothingHasNoSayInTheCpuPerDelivery()
    {
        var nothing = Run(1_000_000, 0);
        nothing.DeliveriesPerSecond = 0;

        var combined = RepeatedRuns.Combine([Run(8.0, 20), nothing, Run(9.0, 22)]);

        Assert.Equal(8.5, combined.ServerCpuPerMillion);
    }

    [Fact]
    public void AnEvenNumberOfRunsTakesTheMeanOfTheMiddleTwo()
    {
        Assert.Equal(2.5, RepeatedRuns.Median([4, 1, 2, 3]));
    }

    [Fact]
    public void TheReportGivesTheMedianWithTheRangeOfTheRuns()
    {
        var results = Directory.CreateDirectory(Path.Combine(_dir, "results")).FullName;
        var docs = Path.Combine(_dir, "docs");
        double[] cpu = [9.04, 8.12, 8.57];
        for (var round = 0; round < cpu.Length; round++)
        {
            File.WriteAllText(Path.Combine(results, $"parley.steady.{round + 1}.json"), JsonSerializer.Serialize(Run(cpu[round], 20 + round), Json));
        }

        BenchmarkReport.Write(results, docs, machineFile: null, Json);

        var page = File.ReadAllText(Path.Combine(docs, "benchmarks.md"));
        Assert.Contains("Each workload ran up to 3 times against each server", page, StringComparison.Ordinal);
        Assert.Contains("ok 0/0/0/0 (3 runs)", page, StringComparison.Ordinal);
        var row = page.Split('\n').Single(line => line.StartsWith("| server CPU s per million deliveries |", StringComparison.Ordinal)
            && line.Contains("8.57", StringComparison.Ordinal));
        Assert.Contains("| 8.57 (8.12–9.04) |", row, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
