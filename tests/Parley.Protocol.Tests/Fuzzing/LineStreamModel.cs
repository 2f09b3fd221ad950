namespace Parley.Protocol.Tests.Fuzzing;

/// <summary>
/// The TCP framing rule read straight from docs/protocol.md, over a whole stream at once: lines end at
/// <c>\n</c>, one <c>\r</c> before it is not part of the frame, empty lines are skipped, and the first
/// line over the limit (counted without its line ending, the unfinished last one included) stops the stream.
/// </summary>
/// <param name="Frames">The frames, in order.</param>
/// <param name="TooLarge">True when a line over the limit stopped the stream.</param>
/// <param name="Unfinished">The bytes after the last line feed, when nothing was too large.</param>
internal sealed record LineStreamModel(IReadOnlyList<byte[]> Frames, bool TooLarge, byte[] Unfinished)
{
    /// <summary>What a framer should make of <paramref name="stream"/> with a limit of <paramref name="maxFrameBytes"/>.</summary>
    public static LineStreamModel Of(byte[] stream, int maxFrameBytes)
    {
        var frames = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < stream.Length; i++)
        {
            if (stream[i] != (byte)'\n')
            {
                continue;
            }
            var line = stream[start..i];
            start = i + 1;
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }
            if (line.Length > maxFrameBytes)
            {
                return new LineStreamModel(frames, true, []);
            }
            if (line.Length > 0)
            {
                frames.Add(line);
            }
        }
        var unfinished = stream[start..];
        // a '\r' at the end may be the start of the line ending
        var pending = unfinished.Length > 0 && unfinished[^1] == (byte)'\r' ? unfinished.Length - 1 : unfinished.Length;
        return pending > maxFrameBytes ? new LineStreamModel(frames, true, []) : new LineStreamModel(frames, false, unfinished);
    }
}
