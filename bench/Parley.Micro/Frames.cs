using System.Buffers;
using System.Text;

namespace Parley.Micro;

/// <summary>The frames the benchmarks read: a burst of <c>send</c> lines as a client writes them.</summary>
public static class Frames
{
    /// <summary>How many lines a burst holds.</summary>
    public const int Burst = 64;

    /// <summary>One <c>send</c> of a hundred characters, as the load generator's are.</summary>
    public static byte[] Send(int i) =>
        Encoding.UTF8.GetBytes($$"""{"type":"send","id":"s{{i}}","to":"#bench","text":"{{new string('x', 100)}}"}""");

    /// <summary><see cref="Burst"/> sends, each ending in a newline, in one buffer.</summary>
    public static ReadOnlySequence<byte> Lines() =>
        new([.. Enumerable.Range(0, Burst).SelectMany(i => Send(i).Append((byte)'\n'))]);
}
