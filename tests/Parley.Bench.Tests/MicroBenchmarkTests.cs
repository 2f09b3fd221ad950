using System.Text;
using System.Text.Json;
using Parley.Micro;

namespace Parley.Bench.Tests;

/// <summary>Each micro-benchmark does the work its name says, so that its figure measures that work.</summary>
public sealed class MicroBenchmarkTests
{
    [Fact]
    public void TheReadingBenchmarksReadEveryLineOfTheBurstAsASend()
    {
        var reading = new ReadingBenchmarks();

        Assert.Equal(Frames.Burst, reading.Frame());
        Assert.Equal(Frames.Burst, reading.FrameAndRead());
    }

    [Fact]
    public void TheWritingBenchmarksWriteTheSameMessageBothWaysAndAnAck()
    {
        var writing = new WritingBenchmarks();

        var byCodec = JsonDocument.Parse(writing.Message()).RootElement;
        var bySerializer = JsonDocument.Parse(writing.MessageBySerializer()).RootElement;
        var ack = JsonDocument.Parse(writing.Ack()).RootElement;

        Assert.Equal("message", byCodec.GetProperty("type").GetString());
        Assert.Equal(bySerializer.EnumerateObject().Select(p => (p.Name, p.Value.ToString())).Order(),
            byCodec.EnumerateObject().Select(p => (p.Name, p.Value.ToString())).Order());
        Assert.Equal("ack", ack.GetProperty("type").GetString());
        Assert.Equal(123_456, ack.GetProperty("seq").GetInt64());
    }

    [Fact]
    public void TheFanoutBenchmarksGiveEveryMemberTheMessageOnceSharedAndOnceEach()
    {
        var fanout = new FanoutBenchmarks { Members = 10 };
        fanout.Setup();

        var shared = fanout.SerializeOnce();
        Assert.All(fanout.Queued, bytes => Assert.Same(shared, bytes));
        fanout.SerializePerMember();
        Assert.Equal(10, fanout.Queued.Distinct().Count());
        Assert.All(fanout.Queued, bytes => Assert.Equal(Encoding.UTF8.GetString(shared), Encoding.UTF8.GetString(bytes)));
    }

    [Fact]
    public void TheLedgerBenchmarkTakesEverySendAsNewFromAFullLedger()
    {
        var ledger = new LedgerBenchmarks();
        ledger.Setup();

        Assert.All(Enumerable.Range(0, 1000), _ => Assert.True(ledger.Send()));
        // the digest benchmark digests a different id each time, as sends do
        Assert.NotEqual(ledger.Digest(), ledger.Digest());
    }
}
