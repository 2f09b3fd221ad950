using System.Buffers;

namespace Parley.Server.Transports;

/// <summary>
/// The frames a line connection (TCP, TLS) gathers before one send: each frame and its <c>\n</c>, in one buffer
/// rented from the shared pool, handed over whole by <see cref="Take"/>. A field of the connection, used by its
/// writer only.
/// </summary>
internal struct LineBatch
{
    private const int MinimumBuffer = 4096;
    private const int MaximumBuffer = 64 * 1024;

    private byte[]? _buffer;
    private int _length;

    /// <summary>True when nothing is gathered.</summary>
    public readonly bool IsEmpty => _buffer is null;

    /// <summary>
    /// Whether <paramref name="frame"/> would grow the batch past its usual largest size: a long backlog (a replay,
    /// a burst) then goes out in pieces instead of one ever larger buffer.
    /// </summary>
    public readonly bool IsFullFor(byte[] frame) => _length > 0 && _length + frame.Length + 1 > MaximumBuffer;

    /// <summary>Adds <paramref name="frame"/> as a line.</summary>
    public void Append(byte[] frame)
    {
        var needed = _length + frame.Length + 1;
        var buffer = PooledBuffer.EnsureCapacity(ref _buffer, _length, needed, MinimumBuffer);
        frame.CopyTo(buffer.AsSpan(_length));
        buffer[_length + frame.Length] = (byte)'\n';
        _length = needed;
    }

    /// <summary>Hands over what is gathered (the caller returns the buffer to the shared pool) and starts empty.</summary>
    public (byte[] Buffer, int Length) Take()
    {
        var taken = (_buffer ?? throw new InvalidOperationException("Nothing is gathered."), _length);
        _buffer = null;
        _length = 0;
        return taken;
    }

    /// <summary>Drops what is gathered (the connection is closing) and returns its buffer to the pool.</summary>
    public void Clear()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
            _length = 0;
        }
    }
}
