using System.Buffers;
using System.Text;

namespace Parley.Protocol.Tests;

/// <summary>
/// One segment of a multi-segment <see cref="ReadOnlySequence{T}"/>, as a pipe hands over bytes
/// that arrived in several reads.
/// </summary>
internal sealed class TestSegment : ReadOnlySequenceSegment<byte>
{
    private TestSegment(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>A sequence with one segment for each part, in UTF-8; empty parts make empty segments.</summary>
    public static ReadOnlySequence<byte> Sequence(params string[] parts) =>
        Sequence(parts.Select(part => Encoding.UTF8.GetBytes(part)).ToArray());

    /// <summary>A sequence with one segment for each part.</summary>
    public static ReadOnlySequence<byte> Sequence(params byte[][] parts)
    {
        if (parts.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }
        var first = new TestSegment(parts[0], 0);
        var last = first;
        foreach (var part in parts.Skip(1))
        {
            var next = new TestSegment(part, last.RunningIndex + last.Memory.Length);
            last.Next = next;
            last = next;
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>A sequence in which every byte of the UTF-8 text is a segment of its own.</summary>
    public static ReadOnlySequence<byte> BytePerSegment(string text) =>
        Sequence(Encoding.UTF8.GetBytes(text).Select(b => new[] { b }).ToArray());
}
