using System.Buffers;

namespace Parley.Server.Transports;

/// <summary>Growing a buffer rented from the shared pool, keeping what it holds.</summary>
internal static class PooledBuffer
{
    /// <summary>
    /// Makes <paramref name="buffer"/> hold at least <paramref name="needed"/> bytes (at least
    /// <paramref name="minimum"/> when it is rented first), with its first <paramref name="used"/> bytes kept.
    /// </summary>
    public static byte[] EnsureCapacity(ref byte[]? buffer, int used, int needed, int minimum)
    {
        if (buffer is null)
        {
            buffer = ArrayPool<byte>.Shared.Rent(Math.Max(minimum, needed));
        }
        else if (buffer.Length < needed)
        {
            buffer = MoveTo(buffer, used, needed);
        }
        return buffer;
    }

    /// <summary>
    /// A buffer twice the size of <paramref name="buffer"/> (at most <paramref name="limit"/>) holding
    /// its first <paramref name="used"/> bytes; <paramref name="buffer"/> goes back to the pool.
    /// </summary>
    public static byte[] Grow(byte[] buffer, int used, int limit) => MoveTo(buffer, used, Math.Min(buffer.Length * 2, limit));

    private static byte[] MoveTo(byte[] buffer, int used, int size)
    {
        var larger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, used).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}
