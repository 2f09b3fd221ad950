namespace Parley.Bench.Load;

/// <summary>
/// The runs of one workload against one server, repeated in the same compare run, as one result: every
/// figure is the median of the runs', and every count of lost, doubled or reordered messages or errors
/// is their sum, so a repeat never hides a failed run.
/// </summary>
/// <remarks>
/// On this 2-core host one run of the same workload differs from the next by more than some of the gaps
/// the report judges (steady CPU per delivery by 5–10 %, many rooms' ack p99 by 2×); the median of a few
/// runs, servers taking turns, is what the ratios are taken from, and the report shows the range beside it.
/// </remarks>
internal static class RepeatedRuns
{
    public static RunResult Combine(IReadOnlyList<RunResult> runs)
    {
        ArgumentOutOfRangeException.ThrowIfZero(runs.Count);
        if (runs.Count == 1)
        {
            return runs[0];
        }
        var first = runs[0];
        return new RunResult
        {
            Server = first.Server, Kind = first.Kind, Workload = first.Workload, Users = first.Users, Rooms = first.Rooms,
            Senders = first.Senders, Size = first.Size, Window = first.Window, Rate = first.Rate, Shards = first.Shards,
            Command = first.Command,
            Runs = runs.Sum(r => r.Runs),
            Seconds = Median(runs, r => r.Seconds),
            Sent = runs.Sum(r => r.Sent),
            Acked = runs.Sum(r => r.Acked),
            Delivered = runs.Sum(r => r.Delivered),
            DeliveriesPerSecond = Median(runs, r => r.DeliveriesPerSecond),
            MessagesPerSecond = Median(runs, r => r.MessagesPerSecond),
            Ack = MedianLatency(runs.Select(r => r.Ack).ToList()),
            Delivery = MedianLatency(runs.Select(r => r.Delivery).ToList()),
            Lost = runs.Sum(r => r.Lost),
            Doubled = runs.Sum(r => r.Doubled),
            OutOfOrder = runs.Sum(r => r.OutOfOrder),
            Errors = runs.Sum(r => r.Errors),
            FirstError = runs.Select(r => r.FirstError).FirstOrDefault(e => e is not null),
            ServerCpuSeconds = Median(runs, r => r.ServerCpuSeconds),
            // a run that delivered nothing has no CPU per delivery (the report shows none for it)
            ServerCpuPerMillion = runs.Any(r => r.DeliveriesPerSecond > 0)
                ? Median(runs.Where(r => r.DeliveriesPerSecond > 0).Select(r => r.ServerCpuPerMillion))
                : 0,
            GeneratorCpuSeconds = Median(runs, r => r.GeneratorCpuSeconds),
            WarmUpConnections = first.WarmUpConnections,
            ServerRssBefore = (long)Median(runs, r => r.ServerRssBefore),
            ServerRssAfter = (long)Median(runs, r => r.ServerRssAfter),
            BytesPerConnection = Median(runs, r => r.BytesPerConnection),
            SetupSeconds = Median(runs, r => r.SetupSeconds),
            Connected = (int)Median(runs, r => r.Connected),
            Failed = runs.Any(r => r.Failed),
            Note = string.Join("; ", runs.Select(r => r.Note).Where(n => !string.IsNullOrEmpty(n)).Distinct()) is { Length: > 0 } notes ? notes : null,
        };
    }

    /// <summary>The middle value; for an even count, the mean of the two middle ones.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        ArgumentOutOfRangeException.ThrowIfZero(sorted.Length);
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double Median(IReadOnlyList<RunResult> runs, Func<RunResult, double> value) => Median(runs.Select(value));

    // each percentile on its own: a run's histogram is kept only while its shards are to be merged
    private static LatencySummary MedianLatency(List<LatencySummary> runs) => new()
    {
        Count = runs.Sum(l => l.Count),
        P50 = Median(runs.Select(l => l.P50)),
        P99 = Median(runs.Select(l => l.P99)),
        P999 = Median(runs.Select(l => l.P999)),
        Max = runs.Max(l => l.Max),
    };
}
