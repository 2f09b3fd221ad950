using System.Text;
using CsCheck;

namespace Parley.Protocol.Tests.Fuzzing;

/// <summary>Byte-level damage to frames: flipped bits, bytes changed, cut out, repeated or put in, a cut, bytes after the end.</summary>
internal static class ByteMutations
{
    // what is put in: bytes that mean something to a JSON reader or to UTF-8
    private static readonly byte[][] s_tokens =
    [
        .. new[] { "{", "}", "[", "]", "\"", "\\", ":", ",", " ", "\\u", "\\ud800", "\\udc00", "\\u0000", "null", "1e999", "-", "\"id\":\"m\",",
            "\"type\":\"ping\",", "\"id\":", "\"type\":", "/*", "\r", "\n" }.Select(Encoding.UTF8.GetBytes),
        [0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf], [0x00], [0xef, 0xbb, 0xbf],
    ];

    private static readonly Gen<Func<byte[], byte[]>> s_mutation = Gen.Frequency(
        (3, Gen.Select(Gen.Int.Positive, Gen.Byte, (at, value) => Change(at, value))),
        (2, Gen.Select(Gen.Int.Positive, Gen.Int[0, 7], (at, bit) => FlipBit(at, bit))),
        (3, Gen.Select(Gen.Int.Positive, Gen.Int[1, 8], (at, length) => Cut(at, length))),
        (3, Gen.Select(Gen.Int.Positive, Gen.Frequency((2, Gen.OneOf(s_tokens)), (1, Gen.Byte.Array[1, 8])), (at, bytes) => Insert(at, bytes))),
        (1, Gen.Select(Gen.Int.Positive, Gen.Int[1, 16], (at, length) => Repeat(at, length))),
        (1, Gen.Int.Positive.Select(Truncate)));

    /// <summary>The bytes of <paramref name="source"/> with one to four mutations.</summary>
    public static Gen<byte[]> Of(Gen<byte[]> source) =>
        Gen.Select(source, s_mutation.Array[1, 4], (bytes, mutations) => mutations.Aggregate(bytes, (current, mutate) => mutate(current)));

    private static Func<byte[], byte[]> Change(int at, byte value) => bytes =>
    {
        if (bytes.Length == 0)
        {
            return [value];
        }
        var changed = bytes.ToArray();
        changed[at % bytes.Length] = value;
        return changed;
    };

    private static Func<byte[], byte[]> FlipBit(int at, int bit) => bytes =>
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }
        var changed = bytes.ToArray();
        changed[at % bytes.Length] ^= (byte)(1 << bit);
        return changed;
    };

    private static Func<byte[], byte[]> Cut(int at, int length) => bytes =>
    {
        var start = at % (bytes.Length + 1);
        var end = Math.Min(bytes.Length, start + length);
        return [.. bytes[..start], .. bytes[end..]];
    };

    private static Func<byte[], byte[]> Insert(int at, byte[] inserted) => bytes =>
    {
        var start = at % (bytes.Length + 1);
        return [.. bytes[..start], .. inserted, .. bytes[start..]];
    };

    private static Func<byte[], byte[]> Repeat(int at, int length) => bytes =>
    {
        var start = at % (bytes.Length + 1);
        var end = Math.Min(bytes.Length, start + length);
        return [.. bytes[..end], .. bytes[start..]];
    };

    private static Func<byte[], byte[]> Truncate(int at) => bytes => bytes[..(at % (bytes.Length + 1))];
}
