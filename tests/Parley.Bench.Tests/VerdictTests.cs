using Parley.Bench.Load;

namespace Parley.Bench.Tests;

/// <summary>How the counts of a run, or of its shards, become lost, doubled and failed.</summary>
public sealed class VerdictTests
{
    [Fact]
    public void AMessageOneReceiverMissedCountsAsLostAndFailsTheRun()
    {
        var result = new RunResult { Sent = 10, Acked = 10, SentBySender = [10], ReceiversBySender = [3], ReceivedBySender = [29] };

        LoadRun.Verdict(result);

        Assert.Equal(1, result.Lost);
        Assert.True(result.Failed);
    }

    [Fact]
    public void ShardsAddTheirReceiversBeforeLossesAreCounted()
    {
        // the sender lives in shard 0; its receivers are split over both shards
        var shard0 = new RunResult { Sent = 5, Acked = 5, SentBySender = [5, 0], ReceiversBySender = [1, 2], ReceivedBySender = [5, 4] };
        var shard1 = new RunResult { SentBySender = [0, 2], ReceiversBySender = [2, 1], ReceivedBySender = [10, 2], Sent = 2, Acked = 2 };

        var merged = ShardMerge.Merge([shard0, shard1]);

        Assert.Equal(0, merged.Lost);
        Assert.False(merged.Failed);
        Assert.Equal(7, merged.Sent);
    }

    [Fact]
    public void AnUnacknowledgedSendFailsTheRun()
    {
        var result = new RunResult { Sent = 3, Acked = 2, SentBySender = [3], ReceiversBySender = [1], ReceivedBySender = [3] };

        LoadRun.Verdict(result);

        Assert.True(result.Failed);
    }
}
