using BenchmarkDotNet.Attributes;
using Parley.Server.Core;
using Parley.Server.Storage;

namespace Parley.Micro;

/// <summary>
/// The idempotency ledger's work for one send, in the steady state of a busy server: the id's digest, tracking
/// the send in flight, and moving it to the recent acks when it commits (evicting the oldest of a full ledger).
/// </summary>
[MemoryDiagnoser]
public class LedgerBenchmarks
{
    // as the server's default
    private const int Capacity = 100_000;
    // more ids than the ledger keeps: by the time one comes round again it was evicted long before
    private const int Ids = 1 << 20;
    private static readonly StoredMessage Stored = new("#bench", 1, DateTimeOffset.UnixEpoch, "@alice", "alice", "#bench", "x");
    private string[] _ids = [];
    private IdempotencyLedger _ledger = new(Capacity);
    private int _next;

    /// <summary>A full ledger.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _ids = [.. Enumerable.Range(0, Ids).Select(i => $"s{i}")];
        _ledger = new IdempotencyLedger(Capacity);
        for (var i = 0; i < Capacity; i++)
        {
            Send();
        }
    }

    /// <summary>The digest of a send's id alone, as the ledger keeps it: its share of <see cref="Send"/>.</summary>
    [Benchmark]
    public UInt128 Digest() => IdempotencyLedger.DigestOf(_ids[_next++ & (Ids - 1)]);

    /// <summary>One new send, begun and committed: true when the ledger took it as new.</summary>
    [Benchmark]
    public bool Send()
    {
        var id = _ids[_next++ & (Ids - 1)];
        // the session and server are not reached by the ledger: the operation carries what it reads
        var operation = new SendOperation(null!, null!, 0)
        {
            ConversationKey = "#bench", SenderKey = "@alice", From = "alice", To = "#bench", Text = "x",
            ClientId = id, IdDigest = IdempotencyLedger.DigestOf(id),
        };
        var isNew = _ledger.TryBegin(operation, out _, out _);
        _ledger.Complete(operation, Stored);
        return isNew;
    }
}
