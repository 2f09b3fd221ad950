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
        if (buffer is null || buffer.Length < needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(minimum, needed));
            if (buffer is not null)
            {
                buffer.AsSpan(0, used).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
            }
            buffer = larger;
        }
        return buffer;
    }
}
