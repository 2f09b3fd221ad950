using HdrHistogram;

namespace Parley.Bench.Load;

/// <summary>Latency percentiles in milliseconds, and the histogram itself (HdrHistogram log, base64) for merging shards.</summary>
internal sealed class LatencySummary
{
    public long Count { get; set; }

    public double P50 { get; set; }

    public double P99 { get; set; }

    public double P999 { get; set; }

    public double Max { get; set; }

    public string Histogram { get; set; } = "";

    /// <summary>The percentiles of a histogram of microseconds, and the histogram itself when it is to be merged later.</summary>
    public static LatencySummary From(LongHistogram histogram, bool keepHistogram)
    {
        if (histogram.TotalCount == 0)
        {
            // a run that measured nothing (idle, storm): HdrHistogram has no percentiles to give
            return new LatencySummary();
        }
        var summary = new LatencySummary
        {
            Count = histogram.TotalCount,
            P50 = histogram.GetValueAtPercentile(50) / 1000.0,
            P99 = histogram.GetValueAtPercentile(99) / 1000.0,
            P999 = histogram.GetValueAtPercentile(99.9) / 1000.0,
            Max = histogram.GetMaxValue() / 1000.0,
        };
        if (keepHistogram)
        {
            using var stream = new MemoryStream();
            using (var writer = new HistogramLogWriter(stream))
            {
                writer.Write(DateTime.UnixEpoch, histogram);
            }
            summary.Histogram = Convert.ToBase64String(stream.ToArray());
        }
        return summary;
    }
}

/// <summary>Everything one run (or one shard of it) measured; written as JSON.</summary>
internal sealed class RunResult
{
    public string Server { get; set; } = "";

    public string Kind { get; set; } = "";

    public string Workload { get; set; } = "";

    public int Users { get; set; }

    public int Rooms { get; set; }

    public int Senders { get; set; }

    public int Size { get; set; }

    public int Window { get; set; }

    public double Rate { get; set; }

    public int Shards { get; set; } = 1;

    /// <summary>How many runs this result stands for: more than one when repeated runs were combined (<see cref="RepeatedRuns"/>).</summary>
    public int Runs { get; set; } = 1;

    public string Command { get; set; } = "";

    /// <summary>Seconds of the measured phase (after warm-up, before the drain).</summary>
    public double Seconds { get; set; }

    public long Sent { get; set; }

    public long Acked { get; set; }

    public long Delivered { get; set; }

    public double DeliveriesPerSecond { get; set; }

    public double MessagesPerSecond { get; set; }

    public LatencySummary Ack { get; set; } = new();

    public LatencySummary Delivery { get; set; } = new();

    public long Lost { get; set; }

    public long Doubled { get; set; }

    public long OutOfOrder { get; set; }

    public long Errors { get; set; }

    public string? FirstError { get; set; }

    public double ServerCpuSeconds { get; set; }

    public double ServerCpuPerMillion { get; set; }

    public double GeneratorCpuSeconds { get; set; }

    /// <summary>Idle: the connections that said hello and left before the first reading of the server's memory.</summary>
    public int WarmUpConnections { get; set; }

    public long ServerRssBefore { get; set; }

    public long ServerRssAfter { get; set; }

    public double BytesPerConnection { get; set; }

    public double SetupSeconds { get; set; }

    public int Connected { get; set; }

    public bool Failed { get; set; }

    public string? Note { get; set; }

    public long[] SentBySender { get; set; } = [];

    public long[] ReceiversBySender { get; set; } = [];

    public long[] ReceivedBySender { get; set; } = [];
}
