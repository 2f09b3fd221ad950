using System.Buffers;
using CsCheck;
using Parley.Testing.Fuzzing;
using Xunit.Abstractions;

namespace Parley.Protocol.Tests.Fuzzing;

/// <summary>
/// Property-based fuzzing of <see cref="LineFramer"/>: a byte stream, cut into reads at arbitrary points,
/// is fed as the TCP read loop feeds it, the unread rest of each read kept and the next read added as a
/// segment of its own. A failure names the seed of its smallest case, which a run with CsCheck_Seed set to it plays alone.
/// </summary>
public class LineFramerPropertyTests(ITestOutputHelper output)
{
    // line feeds and carriage returns often, so that lines are short, empty, or end in "\r\n" or "\r\r\n"
    private static readonly Gen<byte[]> s_stream = Gen.Frequency(
        (8, Gen.Byte[(byte)'a', (byte)'z']),
        (2, Gen.Const((byte)'\n')),
        (2, Gen.Const((byte)'\r')),
        (1, Gen.Byte)).Array[0, 200];

    [Fact]
    public void TheFramerFindsTheLinesOfTheStreamAndTheFirstOneOverTheLimitHoweverTheStreamIsCutIntoReads()
    {
        Gen.Select(s_stream, Gen.Int[1, 24], Gen.Int.Positive.Array[0, 12]).Sample((stream, limit, cuts) =>
        {
            var expected = LineStreamModel.Of(stream, limit);

            var (frames, tooLarge, unread) = Feed(stream, limit, cuts);

            Assert.Equal(expected.Frames.Select(frame => Show.Bytes(frame)), frames.Select(frame => Show.Bytes(frame)));
            Assert.Equal(expected.TooLarge, tooLarge);
            if (!tooLarge)
            {
                Assert.Equal(Show.Bytes(expected.Unfinished), Show.Bytes(unread));
            }
        }, iter: FuzzRuns.Cases(20_000), print: input => $"{Show.Bytes(input.Item1)} limit {input.Item2} cut at {string.Join(",", input.Item3)}", writeLine: output.WriteLine);
    }

    // feeds the stream read by read, as the TCP loop does: frames are taken until the framer needs more or refuses
    private static (List<byte[]> Frames, bool TooLarge, byte[] Unread) Feed(byte[] stream, int limit, int[] cuts)
    {
        var offsets = cuts.Select(cut => cut % (stream.Length + 1)).Order().Append(stream.Length).ToArray();
        var frames = new List<byte[]>();
        var unread = new List<byte[]>();
        var start = 0;
        foreach (var offset in offsets)
        {
            unread.Add(stream[start..offset]);
            start = offset;
            var buffer = TestSegment.Sequence([.. unread]);
            var length = buffer.Length;
            LineFrameStatus status;
            ReadOnlySequence<byte> frame;
            while ((status = LineFramer.TryReadFrame(ref buffer, limit, out frame)) == LineFrameStatus.Frame)
            {
                Assert.InRange(frame.Length, 1, limit);
                frames.Add(frame.ToArray());
            }
            if (status == LineFrameStatus.TooLarge)
            {
                return (frames, true, []);
            }
            Assert.Equal(0, frame.Length);
            var rest = buffer.ToArray();
            Assert.True(rest.Length <= length, "the framer never hands back more than it was given");
            // what was consumed goes; the rest stays, as the segments it arrived in
            unread = Unconsumed(unread, length - rest.Length);
        }
        return (frames, false, [.. unread.SelectMany(part => part)]);
    }

    private static List<byte[]> Unconsumed(List<byte[]> parts, long consumed)
    {
        var rest = new List<byte[]>();
        foreach (var part in parts)
        {
            var skip = (int)Math.Min(consumed, part.Length);
            consumed -= skip;
            if (skip < part.Length || rest.Count > 0)
            {
                rest.Add(part[skip..]);
            }
        }
        return rest;
    }
}
