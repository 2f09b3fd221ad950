using BenchmarkDotNet.Attributes;
using Parley.Protocol;
using Parley.Protocol.Frames;

namespace Parley.Micro;

/// <summary>
/// The frames the server writes most: a message to its members and an ack to its sender, each by the codec's
/// own writer; beside them, the same message through System.Text.Json's generated serializer, the path of
/// every other frame.
/// </summary>
[MemoryDiagnoser]
public class WritingBenchmarks
{
    private static readonly DateTimeOffset Ts = new(2026, 12, 8, 1, 0, 0, TimeSpan.Zero);
    private readonly string _text = new('x', 100);

    /// <summary>A message as the fan-out writes it.</summary>
    [Benchmark(Baseline = true)]
    public byte[] Message() => FrameCodec.MessageToBytes(123_456, "#bench", "alice", _text, Ts);

    /// <summary>The same message as a frame object through the generated serializer.</summary>
    [Benchmark]
    public byte[] MessageBySerializer() =>
        FrameCodec.ToBytes(new MessageFrame { Seq = 123_456, To = "#bench", From = "alice", Text = _text, Ts = Ts });

    /// <summary>An ack as the sender gets it.</summary>
    [Benchmark]
    public byte[] Ack() => FrameCodec.AckToBytes("s42", 123_456, Ts);
}
