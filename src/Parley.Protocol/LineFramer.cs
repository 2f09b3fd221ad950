using System.Buffers;

namespace Parley.Protocol;

/// <summary>What <see cref="LineFramer.TryReadFrame"/> found.</summary>
public enum LineFrameStatus
{
    /// <summary>No complete line yet: read more.</summary>
    NeedMore,
    /// <summary>A frame was read and consumed.</summary>
    Frame,
    /// <summary>The next frame is over the limit; the stream cannot be trusted any more.</summary>
    TooLarge,
}

/// <summary>
/// Splits a TCP byte stream into frames: one JSON object per line, ended by <c>\n</c>, with an
/// optional <c>\r</c> before it. Empty lines are skipped. Pure: no I/O.
/// </summary>
public static class LineFramer
{
    /// <summary>
    /// Reads the next frame from the start of <paramref name="buffer"/>. On <see cref="LineFrameStatus.Frame"/>
    /// the frame's bytes (without line ending) are in <paramref name="frame"/> and <paramref name="buffer"/>
    /// is advanced past the line. The limit counts the frame's bytes, not its line ending.
    /// </summary>
    public static LineFrameStatus TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxFrameBytes, out ReadOnlySequence<byte> frame)
    {
        while (true)
        {
            var reader = new SequenceReader<byte>(buffer);
            if (!reader.TryReadTo(out frame, (byte)'\n'))
            {
                frame = default;
                // a '\r' at the end may be the line ending whose '\n' is still to come; any other byte is the frame's
                var pending = buffer.Length > 0 && EndsWithCarriageReturn(buffer) ? buffer.Length - 1 : buffer.Length;
                return pending > maxFrameBytes ? LineFrameStatus.TooLarge : LineFrameStatus.NeedMore;
            }
            if (frame.Length > 0 && EndsWithCarriageReturn(frame))
            {
                frame = frame.Slice(0, frame.Length - 1);
            }
            if (frame.Length > maxFrameBytes)
            {
                return LineFrameStatus.TooLarge;
            }
            buffer = buffer.Slice(reader.Position);
            if (frame.Length > 0)
            {
                return LineFrameStatus.Frame;
            }
        }
    }

    private static bool EndsWithCarriageReturn(in ReadOnlySequence<byte> line)
    {
        var last = line.Slice(line.Length - 1);
        return last.FirstSpan[0] == (byte)'\r';
    }
}
