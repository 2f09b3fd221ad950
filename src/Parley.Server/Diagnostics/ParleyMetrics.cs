using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Parley.Server.Diagnostics;

/// <summary>
/// The server's counters, written out in Prometheus text format at <c>/metrics</c>. Plain
/// interlocked counters: cheap enough for the hot path, and no extra package.
/// </summary>
public sealed class ParleyMetrics
{
    // ack latency buckets in seconds, from receipt of the send to the ack being queued
    private static readonly double[] AckBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    private readonly long[] _ackBucketCounts = new long[AckBuckets.Length + 1];
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _refusals = new(StringComparer.Ordinal);
    private long _connectionsOpen;
    private long _connectionsTotal;
    private long _framesIn;
    private long _framesOut;
    private long _messagesAcked;
    private long _messagesDelivered;
    private long _ackLatencyTicks;
    private long _passwordHashes;
    private long _outgoingBytes;
    private long _historyWaits;

    /// <summary>Connections open now.</summary>
    public long ConnectionsOpen => Interlocked.Read(ref _connectionsOpen);

    /// <summary>Counts a connection opening.</summary>
    public void ConnectionOpened()
    {
        Interlocked.Increment(ref _connectionsOpen);
        Interlocked.Increment(ref _connectionsTotal);
    }

    /// <summary>Counts a connection closing.</summary>
    public void ConnectionClosed() => Interlocked.Decrement(ref _connectionsOpen);

    /// <summary>Counts a frame received.</summary>
    public void FrameIn() => Interlocked.Increment(ref _framesIn);

    /// <summary>Counts frames written to clients.</summary>
    public void FramesOut(int count) => Interlocked.Add(ref _framesOut, count);

    /// <summary>Counts copies of messages handed to recipients.</summary>
    public void Delivered(int count) => Interlocked.Add(ref _messagesDelivered, count);

    /// <summary>Counts an error frame sent, by code.</summary>
    public void Error(string code) => _errors.AddOrUpdate(code, 1, static (_, n) => n + 1);

    /// <summary>Notes the bytes all connections hold for clients that have not taken them (the last sweep's sum).</summary>
    public void OutgoingHeld(long bytes) => Interlocked.Exchange(ref _outgoingBytes, bytes);

    /// <summary>Counts a page of history that waited for its client to take the previous reply.</summary>
    public void HistoryWaited() => Interlocked.Increment(ref _historyWaits);

    /// <summary>How many pages of history waited for their clients so far.</summary>
    public long HistoryWaits => Interlocked.Read(ref _historyWaits);

    /// <summary>Counts a password hashed or checked (hundreds of milliseconds of CPU each).</summary>
    public void PasswordHashed() => Interlocked.Increment(ref _passwordHashes);

    /// <summary>How many passwords were hashed or checked so far.</summary>
    public long PasswordHashes => Interlocked.Read(ref _passwordHashes);

    /// <summary>Counts a refusal by a limit against abuse, by reason (<c>Limits.RefusalReasons</c>).</summary>
    public void Refused(string reason) => _refusals.AddOrUpdate(reason, 1, static (_, n) => n + 1);

    /// <summary>How many refusals of <paramref name="reason"/> so far.</summary>
    public long Refusals(string reason) => _refusals.TryGetValue(reason, out var count) ? count : 0;

    /// <summary>Counts an acknowledged message and its latency.</summary>
    public void Acked(TimeSpan latency)
    {
        Interlocked.Increment(ref _messagesAcked);
        Interlocked.Add(ref _ackLatencyTicks, latency.Ticks);
        var seconds = latency.TotalSeconds;
        var bucket = 0;
        while (bucket < AckBuckets.Length && seconds > AckBuckets[bucket])
        {
            bucket++;
        }
        Interlocked.Increment(ref _ackBucketCounts[bucket]);
    }

    /// <summary>The counters in Prometheus text exposition format.</summary>
    public string ToPrometheusText()
    {
        var text = new StringBuilder(2048);
        Counter(text, "parley_connections_open", "gauge", "Connections open now.", ConnectionsOpen);
        Counter(text, "parley_connections_total", "counter", "Connections accepted.", Interlocked.Read(ref _connectionsTotal));
        Counter(text, "parley_frames_in_total", "counter", "Frames received from clients.", Interlocked.Read(ref _framesIn));
        Counter(text, "parley_frames_out_total", "counter", "Frames written to clients.", Interlocked.Read(ref _framesOut));
        Counter(text, "parley_messages_acked_total", "counter", "Messages stored and acknowledged.", Interlocked.Read(ref _messagesAcked));
        Counter(text, "parley_outgoing_bytes", "gauge", "Bytes all connections hold for clients that have not taken them yet.", Interlocked.Read(ref _outgoingBytes));
        Counter(text, "parley_history_waits_total", "counter", "Pages of history that waited for their client to take the previous reply.", HistoryWaits);
        Counter(text, "parley_password_hashes_total", "counter", "Passwords hashed or checked.", PasswordHashes);
        Counter(text, "parley_messages_delivered_total", "counter", "Message copies handed to recipients.", Interlocked.Read(ref _messagesDelivered));

        Header(text, "parley_errors_total", "counter", "Error frames sent, by code.");
        foreach (var (code, count) in _errors.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"parley_errors_total{{code=\"{code}\"}} {count}\n");
        }

        Header(text, "parley_refusals_total", "counter", "Connections and frames refused by a limit against abuse, by reason.");
        foreach (var (reason, count) in _refusals.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"parley_refusals_total{{reason=\"{reason}\"}} {count}\n");
        }

        Header(text, "parley_ack_latency_seconds", "histogram", "Time from receiving a send to queueing its ack.");
        long cumulative = 0;
        for (var i = 0; i < AckBuckets.Length; i++)
        {
            cumulative += Interlocked.Read(ref _ackBucketCounts[i]);
            text.Append(CultureInfo.InvariantCulture, $"parley_ack_latency_seconds_bucket{{le=\"{AckBuckets[i]}\"}} {cumulative}\n");
        }
        cumulative += Interlocked.Read(ref _ackBucketCounts[^1]);
        text.Append(CultureInfo.InvariantCulture, $"parley_ack_latency_seconds_bucket{{le=\"+Inf\"}} {cumulative}\n");
        text.Append(CultureInfo.InvariantCulture, $"parley_ack_latency_seconds_sum {TimeSpan.FromTicks(Interlocked.Read(ref _ackLatencyTicks)).TotalSeconds}\n");
        text.Append(CultureInfo.InvariantCulture, $"parley_ack_latency_seconds_count {cumulative}\n");

        // what memory a connection costs shows here: the managed heap beside what the process holds
        var gc = GC.GetGCMemoryInfo();
        Counter(text, "process_resident_memory_bytes", "gauge", "Resident memory of the server process.", Environment.WorkingSet);
        Counter(text, "dotnet_gc_heap_size_bytes", "gauge", "Managed heap size after the last garbage collection.", gc.HeapSizeBytes);
        Counter(text, "dotnet_gc_committed_bytes", "gauge", "Memory the garbage collector has committed.", gc.TotalCommittedBytes);
        Counter(text, "dotnet_gc_fragmented_bytes", "gauge", "Free space inside the managed heap after the last garbage collection.", gc.FragmentedBytes);
        // and what the collector costs in time: every pause stops the fan-out and the acks with it
        Header(text, "dotnet_gc_collections_total", "counter", "Garbage collections, by generation.");
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            text.Append(CultureInfo.InvariantCulture, $"dotnet_gc_collections_total{{generation=\"{generation}\"}} {GC.CollectionCount(generation)}\n");
        }
        Counter(text, "dotnet_gc_allocated_bytes_total", "counter", "Bytes allocated on the managed heap since the start.", GC.GetTotalAllocatedBytes());
        Header(text, "dotnet_gc_pause_seconds_total", "counter", "Time the process was paused for garbage collection.");
        text.Append(CultureInfo.InvariantCulture, $"dotnet_gc_pause_seconds_total {GC.GetTotalPauseDuration().TotalSeconds}\n");
        return text.ToString();
    }

    // a metric with one value and no labels
    private static void Counter(StringBuilder text, string name, string type, string help, long value)
    {
        Header(text, name, type, help);
        text.Append(CultureInfo.InvariantCulture, $"{name} {value}\n");
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");
}
