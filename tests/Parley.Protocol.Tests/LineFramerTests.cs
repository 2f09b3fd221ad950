using System.Buffers;
using System.Text;

namespace Parley.Protocol.Tests;

public class LineFramerTests
{
    private const int Limit = 8;

    [Theory]
    [InlineData("{\"type\":\"ping\"}\n")]
    [InlineData("{\"type\":\"ping\"}\r\n")]
    [InlineData("{\"type\":", "\"ping\"}", "\n")]
    [InlineData("{\"ty", "pe\":\"pi", "ng\"}\r", "\n")]
    [InlineData("", "{\"type\":\"ping\"}", "", "\r\n", "")]
    public void FrameIsReadWholeAndConsumedHoweverItsBytesAreSplit(params string[] parts)
    {
        var buffer = TestSegment.Sequence(parts);

        var status = LineFramer.TryReadFrame(ref buffer, ProtocolLimits.DefaultMaxFrameBytes, out var frame);

        Assert.Equal(LineFrameStatus.Frame, status);
        Assert.Equal("{\"type\":\"ping\"}", Text(frame));
        Assert.Equal(0, buffer.Length);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SeveralFramesInOneBufferAreReadInOrder(bool bytePerSegment)
    {
        const string stream = "{\"a\":1}\n{\"b\":\"é\"}\r\n\r\n{\"c\":3}\n{\"d\"";
        var buffer = bytePerSegment ? TestSegment.BytePerSegment(stream) : TestSegment.Sequence(stream);

        var (frames, last) = ReadAll(ref buffer, ProtocolLimits.DefaultMaxFrameBytes);

        Assert.Equal(["{\"a\":1}", "{\"b\":\"é\"}", "{\"c\":3}"], frames);
        Assert.Equal(LineFrameStatus.NeedMore, last);
        Assert.Equal("{\"d\"", Text(buffer));
    }

    [Fact]
    public void FramesSurviveEverySplitBetweenTwoReads()
    {
        const string stream = "{\"a\":1}\r\n\n{\"b\":\"ü\"}\n{\"c\":3}\r\n";
        var bytes = Encoding.UTF8.GetBytes(stream);
        for (var split = 0; split <= bytes.Length; split++)
        {
            // what the first read left unconsumed is read again together with the second read's bytes
            var buffer = new ReadOnlySequence<byte>(bytes[..split]);
            var (frames, _) = ReadAll(ref buffer, ProtocolLimits.DefaultMaxFrameBytes);
            buffer = TestSegment.Sequence(buffer.ToArray(), bytes[split..]);
            var (more, last) = ReadAll(ref buffer, ProtocolLimits.DefaultMaxFrameBytes);

            Assert.Equal(["{\"a\":1}", "{\"b\":\"ü\"}", "{\"c\":3}"], frames.Concat(more));
            Assert.Equal(LineFrameStatus.NeedMore, last);
            Assert.Equal(0, buffer.Length);
        }
    }

    [Fact]
    public void CarriageReturnInsideALineIsKept()
    {
        var buffer = new ReadOnlySequence<byte>("{}\r{}\n"u8.ToArray());

        var status = LineFramer.TryReadFrame(ref buffer, Limit, out var frame);

        Assert.Equal(LineFrameStatus.Frame, status);
        Assert.Equal("{}\r{}", Text(frame));
    }

    [Theory]
    [InlineData("\n{}\n")]
    [InlineData("\r\n{}\n")]
    [InlineData("\n\r\n\n\r\n{}\r\n")]
    public void EmptyLinesAreSkipped(string text)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text));

        var status = LineFramer.TryReadFrame(ref buffer, Limit, out var frame);

        Assert.Equal(LineFrameStatus.Frame, status);
        Assert.Equal("{}", Text(frame));
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void EmptyLinesAloneAreConsumedSoTheyCannotPileUp()
    {
        var buffer = TestSegment.Sequence("\n\r\n", "\n", "{\"a\"");

        var status = LineFramer.TryReadFrame(ref buffer, Limit, out _);

        Assert.Equal(LineFrameStatus.NeedMore, status);
        Assert.Equal("{\"a\"", Text(buffer));
    }

    [Theory]
    [InlineData("\n", false)]
    [InlineData("\r\n", false)]
    [InlineData("\r\n", true)]
    public void FrameExactlyAtTheLimitIsAcceptedWhateverItsLineEnding(string ending, bool bytePerSegment)
    {
        var text = new string('x', Limit) + ending;
        var buffer = bytePerSegment ? TestSegment.BytePerSegment(text) : TestSegment.Sequence(text);

        var status = LineFramer.TryReadFrame(ref buffer, Limit, out var frame);

        Assert.Equal(LineFrameStatus.Frame, status);
        Assert.Equal(Limit, frame.Length);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("")]
    public void FrameOneByteOverTheLimitIsTooLargeWhetherOrNotItsLineEndingHasArrived(string ending)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(new string('x', Limit + 1) + ending));

        var status = LineFramer.TryReadFrame(ref buffer, Limit, out _);

        Assert.Equal(LineFrameStatus.TooLarge, status);
    }

    [Fact]
    public void FrameOverTheLimitIsTooLargeAfterACompleteFrame()
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("{}\n" + new string('x', Limit + 1)));

        var first = LineFramer.TryReadFrame(ref buffer, Limit, out _);
        var second = LineFramer.TryReadFrame(ref buffer, Limit, out _);

        Assert.Equal(LineFrameStatus.Frame, first);
        Assert.Equal(LineFrameStatus.TooLarge, second);
    }

    [Fact]
    public void FrameAtTheLimitWhoseNewlineIsStillToComeAfterItsCarriageReturnNeedsMore()
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(new string('x', Limit) + "\r"));

        var status = LineFramer.TryReadFrame(ref buffer, Limit, out _);

        Assert.Equal(LineFrameStatus.NeedMore, status);
    }

    [Fact]
    public void LimitCountsBytesNotCharacters()
    {
        // four two-byte characters: eight bytes fit, a fifth does not
        var fits = new ReadOnlySequence<byte>("éééé\n"u8.ToArray());
        var over = new ReadOnlySequence<byte>("ééééé\n"u8.ToArray());

        Assert.Equal(LineFrameStatus.Frame, LineFramer.TryReadFrame(ref fits, Limit, out _));
        Assert.Equal(LineFrameStatus.TooLarge, LineFramer.TryReadFrame(ref over, Limit, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"type\"")]
    [InlineData("xxxxxxxx")]
    [InlineData("{}\r")]
    public void NeedMoreLeavesTheBufferUntouched(string text)
    {
        var original = TestSegment.Sequence(text, "");
        var buffer = original;

        var status = LineFramer.TryReadFrame(ref buffer, Limit, out var frame);

        Assert.Equal(LineFrameStatus.NeedMore, status);
        Assert.Equal(original.Start, buffer.Start);
        Assert.Equal(original.End, buffer.End);
        Assert.Equal(0, frame.Length);
    }

    private static (List<string> Frames, LineFrameStatus Last) ReadAll(ref ReadOnlySequence<byte> buffer, int maxFrameBytes)
    {
        var frames = new List<string>();
        LineFrameStatus status;
        while ((status = LineFramer.TryReadFrame(ref buffer, maxFrameBytes, out var frame)) == LineFrameStatus.Frame)
        {
            frames.Add(Text(frame));
        }
        return (frames, status);
    }

    private static string Text(in ReadOnlySequence<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
