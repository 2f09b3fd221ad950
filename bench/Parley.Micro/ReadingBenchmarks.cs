using System.Buffers;
using BenchmarkDotNet.Attributes;
using Parley.Protocol;

namespace Parley.Micro;

/// <summary>A client's burst of lines into frames: the framer alone, and the framer with the codec.</summary>
[MemoryDiagnoser]
public class ReadingBenchmarks
{
    private readonly ReadOnlySequence<byte> _lines = Frames.Lines();

    /// <summary>Splits the burst into lines.</summary>
    [Benchmark(OperationsPerInvoke = Frames.Burst)]
    public int Frame()
    {
        var buffer = _lines;
        var count = 0;
        while (LineFramer.TryReadFrame(ref buffer, ProtocolLimits.DefaultMaxFrameBytes, out _) == LineFrameStatus.Frame)
        {
            count++;
        }
        return count;
    }

    /// <summary>Splits the burst into lines and reads each as a client frame.</summary>
    [Benchmark(OperationsPerInvoke = Frames.Burst)]
    public int FrameAndRead()
    {
        var buffer = _lines;
        var count = 0;
        while (LineFramer.TryReadFrame(ref buffer, ProtocolLimits.DefaultMaxFrameBytes, out var frame) == LineFrameStatus.Frame)
        {
            if (FrameCodec.ReadClientFrame(frame).Frame is not null)
            {
                count++;
            }
        }
        return count;
    }
}
