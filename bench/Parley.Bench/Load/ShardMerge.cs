using HdrHistogram;

namespace Parley.Bench.Load;

/// <summary>Adds the results of the shards of one run: counts and rates add, histograms merge.</summary>
internal static class ShardMerge
{
    public static RunResult Merge(IReadOnlyList<RunResult> shards)
    {
        var first = shards[0];
        if (shards.Count == 1)
        {
            return first;
        }
        var merged = new RunResult
        {
            Server = first.Server, Kind = first.Kind, Workload = first.Workload, Users = first.Users, Rooms = first.Rooms,
            Senders = first.Senders, Size = first.Size, Window = first.Window, Rate = first.Rate, Shards = shards.Count,
            Command = first.Command, Seconds = shards.Max(s => s.Seconds),
            ServerRssBefore = first.ServerRssBefore, ServerRssAfter = shards.Max(s => s.ServerRssAfter),
            // every shard reads the server over (nearly) the same window: one reading, not a sum
            ServerCpuSeconds = first.ServerCpuSeconds,
            SentBySender = new long[first.SentBySender.Length],
            ReceiversBySender = new long[first.ReceiversBySender.Length],
            ReceivedBySender = new long[first.ReceivedBySender.Length],
        };
        foreach (var s in shards)
        {
            merged.Sent += s.Sent;
            merged.Acked += s.Acked;
            merged.Delivered += s.Delivered;
            merged.DeliveriesPerSecond += s.DeliveriesPerSecond;
            merged.MessagesPerSecond += s.MessagesPerSecond;
            merged.Doubled += s.Doubled;
            merged.OutOfOrder += s.OutOfOrder;
            merged.Errors += s.Errors;
            merged.FirstError ??= s.FirstError;
            merged.GeneratorCpuSeconds += s.GeneratorCpuSeconds;
            merged.Connected += s.Connected;
            merged.WarmUpConnections += s.WarmUpConnections;
            merged.SetupSeconds = Math.Max(merged.SetupSeconds, s.SetupSeconds);
            for (var i = 0; i < merged.SentBySender.Length; i++)
            {
                merged.SentBySender[i] += s.SentBySender[i];
                merged.ReceiversBySender[i] += s.ReceiversBySender[i];
                merged.ReceivedBySender[i] += s.ReceivedBySender[i];
            }
        }
        if (merged.ServerRssAfter > 0)
        {
            merged.BytesPerConnection = (merged.ServerRssAfter - merged.ServerRssBefore) / (double)Math.Max(1, merged.Connected);
        }
        merged.ServerCpuPerMillion = merged.ServerCpuSeconds / Math.Max(1, merged.DeliveriesPerSecond * merged.Seconds) * 1e6;
        merged.Ack = MergeLatency(shards.Select(s => s.Ack));
        merged.Delivery = MergeLatency(shards.Select(s => s.Delivery));
        LoadRun.Verdict(merged);
        return merged;
    }

    private static LatencySummary MergeLatency(IEnumerable<LatencySummary> parts)
    {
        var total = new LongHistogram(120_000_000, 3);
        foreach (var part in parts)
        {
            if (string.IsNullOrEmpty(part.Histogram))
            {
                continue;
            }
            using var stream = new MemoryStream(Convert.FromBase64String(part.Histogram));
            using var reader = new HistogramLogReader(stream);
            foreach (var histogram in reader.ReadHistograms())
            {
                total.Add(histogram);
            }
        }
        return LatencySummary.From(total, keepHistogram: false);
    }
}
