using System.Runtime.CompilerServices;
using Parley.Server.Core;
using Parley.Server.Storage;

namespace Parley.Server.Tests.Core;

/// <summary>
/// The ledger's memory of recent acks: a repeat finds its original's seq and time, the oldest ack
/// leaves first, and nothing of the message itself is kept.
/// </summary>
public sealed class IdempotencyLedgerTests
{
    private static readonly DateTimeOffset Ts = new(2026, 11, 25, 1, 30, 0, TimeSpan.Zero);

    [Fact]
    public void ARepeatFindsItsOriginalsSeqAndTime()
    {
        var ledger = new IdempotencyLedger(capacity: 10);
        var operation = Operation("alice", "a1");
        Assert.True(ledger.TryBegin(operation, out _, out _));
        Assert.False(ledger.TryBegin(Operation("alice", "a1"), out var inFlight, out var acked));
        Assert.Same(operation, inFlight);
        Assert.Null(acked);

        ledger.Complete(operation, Stored(seq: 7));

        Assert.Equal(new AckRecord(7, Ts), FindRecent(ledger, "alice", "a1"));
        Assert.Null(FindRecent(ledger, "bob", "a1"));
        Assert.True(ledger.TryBegin(Operation("bob", "a1"), out _, out _));
    }

    [Fact]
    public void AResendThatBeginsAfterItsOriginalCommittedGetsTheOriginalAck()
    {
        // the resend was checked while the original was still in flight; by the time it begins,
        // the original has committed: it must not be stored a second time
        var ledger = new IdempotencyLedger(capacity: 10);
        var original = Operation("alice", "a1");
        ledger.TryBegin(original, out _, out _);
        Assert.Null(FindRecent(ledger, "alice", "a1"));
        ledger.Complete(original, Stored(seq: 5));

        Assert.False(ledger.TryBegin(Operation("alice", "a1"), out var inFlight, out var acked));

        Assert.Null(inFlight);
        Assert.Equal(new AckRecord(5, Ts), acked);
    }

    [Fact]
    public void TheOldestAckLeavesFirstAndItsUserIsAskedAboutAgain()
    {
        var ledger = new IdempotencyLedger(capacity: 2);
        ledger.BeginProbe("alice");
        ledger.EndProbe("alice", storeHasSends: false);
        Assert.True(ledger.IsKnownNew("alice"));

        for (var i = 1; i <= 3; i++)
        {
            var operation = Operation("alice", $"a{i}");
            ledger.TryBegin(operation, out _, out _);
            ledger.Complete(operation, Stored(seq: i));
        }

        Assert.Null(FindRecent(ledger, "alice", "a1"));
        Assert.Equal(2, FindRecent(ledger, "alice", "a2")?.Seq);
        Assert.Equal(3, FindRecent(ledger, "alice", "a3")?.Seq);
        // a1 now lives only in the store: alice's unknown ids must be looked up again
        Assert.False(ledger.IsKnownNew("alice"));
    }

    [Fact]
    public void TheLedgerKeepsNeitherTheMessageNorItsIdYetAnEqualIdFindsItsAck()
    {
        var ledger = new IdempotencyLedger(capacity: 10);

        var (message, id) = CompleteAndLetGo(ledger);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // a hundred thousand texts, or ids, kept for seconds would survive young collections
        Assert.False(message.IsAlive);
        Assert.False(id.IsAlive);
        Assert.Equal(new AckRecord(1, Ts), FindRecent(ledger, "alice", string.Concat("a", "1")));
        Assert.Null(FindRecent(ledger, "alice", "a2"));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Message, WeakReference Id) CompleteAndLetGo(IdempotencyLedger ledger)
    {
        // a string of its own, not the interned literal
        var id = string.Concat("a", 1.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var operation = Operation("alice", id);
        ledger.TryBegin(operation, out _, out _);
        var stored = Stored(seq: 1);
        ledger.Complete(operation, stored);
        return (new WeakReference(stored), new WeakReference(id));
    }

    private static StoredMessage Stored(long seq) => new("#room", seq, Ts, "@alice", "alice", "#room", new string('x', 100));

    // the ledger reads only the sender's key and the client's id of an operation
    private static SendOperation Operation(string senderKey, string id) => new(null!, null!, 0)
    {
        ConversationKey = "#room",
        SenderKey = senderKey,
        From = senderKey,
        To = "#room",
        Text = "text",
        ClientId = id,
        IdDigest = IdempotencyLedger.DigestOf(id),
    };

    private static AckRecord? FindRecent(IdempotencyLedger ledger, string userKey, string id) =>
        ledger.FindRecent(userKey, IdempotencyLedger.DigestOf(id));
}
