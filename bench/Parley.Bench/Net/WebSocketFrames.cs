using System.Buffers.Binary;

namespace Parley.Bench.Net;

/// <summary>
/// The little of RFC 6455 a load generator needs: the upgrade request, client text frames (masked
/// with a zero key, which leaves the payload as it is) and reading the server's unmasked frames.
/// </summary>
internal static class WebSocketFrames
{
    public const int MaxHeader = 14;

    public static byte[] UpgradeRequest(string host, int port, string path) => System.Text.Encoding.ASCII.GetBytes(
        $"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: cGFybGV5LWJlbmNoLWtleQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");

    /// <summary>Writes the header of a masked client frame whose payload follows it; returns its length.</summary>
    public static int WriteHeader(Span<byte> destination, int payloadLength, byte opcode = 0x1)
    {
        destination[0] = (byte)(0x80 | opcode);
        int at;
        if (payloadLength < 126)
        {
            destination[1] = (byte)(0x80 | payloadLength);
            at = 2;
        }
        else
        {
            destination[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
            at = 4;
        }
        destination.Slice(at, 4).Clear();
        return at + 4;
    }

    /// <summary>Reads one server frame; false when more bytes are needed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> buffer, out int opcode, out int payloadStart, out int payloadLength)
    {
        opcode = payloadStart = payloadLength = 0;
        if (buffer.Length < 2)
        {
            return false;
        }
        opcode = buffer[0] & 0x0F;
        var length = (long)(buffer[1] & 0x7F);
        var at = 2;
        if (length == 126)
        {
            if (buffer.Length < 4)
            {
                return false;
            }
            length = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
            at = 4;
        }
        else if (length == 127)
        {
            if (buffer.Length < 10)
            {
                return false;
            }
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(buffer[2..]);
            at = 10;
        }
        if (buffer.Length < at + length)
        {
            return false;
        }
        payloadStart = at;
        payloadLength = (int)length;
        return true;
    }
}
