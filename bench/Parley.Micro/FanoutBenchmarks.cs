using BenchmarkDotNet.Attributes;
using Parley.Protocol;

namespace Parley.Micro;

/// <summary>
/// What the fan-out's serialize-once buys: one message's bytes made once and shared by every member's queue,
/// against bytes made for each member.
/// </summary>
[MemoryDiagnoser]
public class FanoutBenchmarks
{
    private static readonly DateTimeOffset Ts = new(2026, 12, 8, 1, 0, 0, TimeSpan.Zero);
    private readonly string _text = new('x', 100);
    private byte[][] _queued = [];

    /// <summary>The room's members besides the sender.</summary>
    [Params(10, 1000)]
    public int Members { get; set; }

    /// <summary>A slot per member, where its connection's queue would take the bytes.</summary>
    [GlobalSetup]
    public void Setup() => _queued = new byte[Members][];

    /// <summary>One serialization, its bytes handed to every member.</summary>
    [Benchmark(Baseline = true)]
    public byte[] SerializeOnce()
    {
        var bytes = FrameCodec.MessageToBytes(123_456, "#bench", "alice", _text, Ts);
        for (var i = 0; i < _queued.Length; i++)
        {
            _queued[i] = bytes;
        }
        return bytes;
    }

    /// <summary>A serialization for each member.</summary>
    [Benchmark]
    public byte[] SerializePerMember()
    {
        for (var i = 0; i < _queued.Length; i++)
        {
            _queued[i] = FrameCodec.MessageToBytes(123_456, "#bench", "alice", _text, Ts);
        }
        return _queued[^1];
    }

    /// <summary>What each member's slot holds now.</summary>
    public IReadOnlyList<byte[]> Queued => _queued;
}
