using System.Diagnostics.Metrics;

namespace Parley.Server.Diagnostics;

/// <summary>
/// The server's instruments, on the meter <c>Parley.Server</c> (<see cref="MeterName"/>): what <c>/metrics</c>
/// exports, and what <c>dotnet-counters</c> or an OpenTelemetry collector sees the same way.
/// </summary>
public sealed class ParleyMetrics
{
    /// <summary>The name of the server's meter.</summary>
    public const string MeterName = "Parley.Server";

    // ack latency buckets in seconds, from receipt of the send to the ack being queued
    private static readonly double[] AckBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
    // writes per group commit: one, a few, a burst, the most a batch takes (1,024)
    private static readonly int[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _connectionsAccepted;
    private readonly Counter<long> _framesReceived;
    private readonly Counter<long> _framesSent;
    private readonly Counter<long> _messagesAcked;
    private readonly Counter<long> _messagesDelivered;
    private readonly Histogram<double> _ackDuration;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _refusals;
    private readonly Counter<long> _historyWaits;
    private readonly Counter<long> _passwordHashes;
    private readonly Counter<long> _envelopesReceived;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<int> _commitBatchSize;
    private long _outgoingHeld;
    private int _storeQueued;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>, the host's factory.</summary>
    public ParleyMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _connections = meter.CreateUpDownCounter<long>("parley.connections", "{connection}", "Connections open now.");
        _connectionsAccepted = meter.CreateCounter<long>("parley.connections.accepted", "{connection}", "Connections accepted.");
        _framesReceived = meter.CreateCounter<long>("parley.frames.received", "{frame}", "Frames received from clients.");
        _framesSent = meter.CreateCounter<long>("parley.frames.sent", "{frame}", "Frames written to clients.");
        _messagesAcked = meter.CreateCounter<long>("parley.messages.acked", "{message}", "Messages stored and acknowledged.");
        _messagesDelivered = meter.CreateCounter<long>("parley.messages.delivered", "{message}", "Message copies handed to recipients.");
        _ackDuration = meter.CreateHistogram("parley.ack.duration", "s", "Time from receiving a send to queueing its ack.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AckBuckets });
        _errors = meter.CreateCounter<long>("parley.errors", "{frame}", "Error frames sent, by code.");
        _refusals = meter.CreateCounter<long>("parley.refusals", "{refusal}", "Connections and frames refused by a limit against abuse, by reason.");
        _historyWaits = meter.CreateCounter<long>("parley.history.waits", "{page}", "Pages of history that waited for their client to take the previous reply.");
        _passwordHashes = meter.CreateCounter<long>("parley.password.hashes", "{hash}", "Passwords hashed or checked.");
        _envelopesReceived = meter.CreateCounter<long>("parley.cluster.envelopes.received", "{envelope}",
            "Envelopes (messages and presence) this node heard on the cluster's backplane, its own included.");
        _commitDuration = meter.CreateHistogram("parley.store.commit.duration", "s", "Time one group commit takes in the database (its fsync included).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AckBuckets });
        _commitBatchSize = meter.CreateHistogram("parley.store.commit.size", "{write}", "Messages and other writes per group commit.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchBuckets });
        meter.CreateObservableGauge("parley.store.queue.depth", () => (long)Volatile.Read(ref _storeQueued), "{write}",
            "Messages and other writes queued for the next group commit.");
        meter.CreateObservableGauge("parley.outgoing.held", () => Interlocked.Read(ref _outgoingHeld), "By",
            "Bytes all connections hold for clients that have not taken them yet (the last sweep's sum).");
    }

    /// <summary>Counts a connection opening.</summary>
    public void ConnectionOpened()
    {
        _connections.Add(1);
        _connectionsAccepted.Add(1);
    }

    /// <summary>Counts a connection closing.</summary>
    public void ConnectionClosed() => _connections.Add(-1);

    /// <summary>Counts a frame received.</summary>
    public void FrameIn() => _framesReceived.Add(1);

    /// <summary>Counts frames written to clients.</summary>
    public void FramesOut(int count) => _framesSent.Add(count);

    /// <summary>Counts copies of messages handed to recipients.</summary>
    public void Delivered(int count) => _messagesDelivered.Add(count);

    /// <summary>Counts an error frame sent, by code.</summary>
    public void Error(string code) => _errors.Add(1, new KeyValuePair<string, object?>("code", code));

    /// <summary>Notes the bytes all connections hold for clients that have not taken them (the last sweep's sum).</summary>
    public void OutgoingHeld(long bytes) => Interlocked.Exchange(ref _outgoingHeld, bytes);

    /// <summary>Counts a page of history that waited for its client to take the previous reply.</summary>
    public void HistoryWaited() => _historyWaits.Add(1);

    /// <summary>Counts a password hashed or checked (hundreds of milliseconds of CPU each).</summary>
    public void PasswordHashed() => _passwordHashes.Add(1);

    /// <summary>Counts a refusal by a limit against abuse, by reason (<c>Limits.RefusalReasons</c>).</summary>
    public void Refused(string reason) => _refusals.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Counts an envelope heard on the cluster's backplane.</summary>
    public void EnvelopeReceived() => _envelopesReceived.Add(1);

    /// <summary>Notes a write queued for the next group commit.</summary>
    public void StoreQueued() => Interlocked.Increment(ref _storeQueued);

    /// <summary>Notes writes taken from the queue by the commit pipeline.</summary>
    public void StoreTaken(int writes) => Interlocked.Add(ref _storeQueued, -writes);

    /// <summary>Records a group commit: how long the database took and how many writes it held.</summary>
    public void StoreCommitted(TimeSpan duration, int writes)
    {
        _commitDuration.Record(duration.TotalSeconds);
        _commitBatchSize.Record(writes);
    }

    /// <summary>Counts an acknowledged message and its latency.</summary>
    public void Acked(TimeSpan latency)
    {
        _messagesAcked.Add(1);
        _ackDuration.Record(latency.TotalSeconds);
    }
}
