using System.Buffers.Text;

namespace Parley.Bench.Load;

/// <summary>
/// The text of every benchmark message: <c>~m{slot}.{seq}.{sentAt}.</c> padded with <c>x</c> to the
/// message size. The slot names the sender within its room, seq counts its messages from 1 and
/// sentAt is a <see cref="System.Diagnostics.Stopwatch"/> timestamp (the monotonic clock, shared by
/// every process of the machine), so any receiver measures end-to-end latency and order.
/// </summary>
internal static class Payload
{
    private static ReadOnlySpan<byte> Marker => "~m"u8;

    public static int Write(Span<byte> destination, int size, int slot, long seq, long sentAt)
    {
        var at = 0;
        Marker.CopyTo(destination);
        at += 2;
        at += Number(destination[at..], slot);
        destination[at++] = (byte)'.';
        at += Number(destination[at..], seq);
        destination[at++] = (byte)'.';
        at += Number(destination[at..], sentAt);
        destination[at++] = (byte)'.';
        if (at < size)
        {
            destination[at..size].Fill((byte)'x');
            at = size;
        }
        return at;
    }

    /// <summary>Finds a payload in a received record (a line, a JSON frame, a RESP bulk string).</summary>
    public static bool TryRead(ReadOnlySpan<byte> record, out int slot, out long seq, out long sentAt)
    {
        slot = 0;
        seq = sentAt = 0;
        var start = record.IndexOf(Marker);
        if (start < 0)
        {
            return false;
        }
        var rest = record[(start + 2)..];
        if (!Utf8Parser.TryParse(rest, out slot, out var used) || used >= rest.Length)
        {
            return false;
        }
        rest = rest[(used + 1)..];
        if (!Utf8Parser.TryParse(rest, out seq, out used) || used >= rest.Length)
        {
            return false;
        }
        rest = rest[(used + 1)..];
        return Utf8Parser.TryParse(rest, out sentAt, out _);
    }

    private static int Number(Span<byte> destination, long value)
    {
        Utf8Formatter.TryFormat(value, destination, out var written);
        return written;
    }
}
