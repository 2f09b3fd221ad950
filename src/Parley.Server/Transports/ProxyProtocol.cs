using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Parley.Server.Transports;

/// <summary>
/// The PROXY protocol header (HAProxy's, versions 1 and 2) that a trusted proxy sends on the TCP endpoint before
/// anything of the client's, TLS included: the client's real address. Read byte-exact, so that what follows it
/// (a line, a ClientHello) stays in the socket for whoever reads next.
/// </summary>
internal static class ProxyProtocol
{
    /// <summary>The longest version 1 header, CRLF included (the specification's).</summary>
    public const int MaxV1Length = 107;

    // a version 2 header's addresses and TLVs; HAProxy's own TLVs (SSL details, a unique id) fit many times over
    private const int MaxV2Body = 4096;

    private static readonly byte[] V2Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];
    private static readonly byte[] V1Prefix = "PROXY "u8.ToArray();

    /// <summary>
    /// Reads the header from a trusted proxy's connection: the client's endpoint, or <paramref name="proxy"/> itself
    /// for a header that names no client (the proxy's health checks: version 1 <c>UNKNOWN</c>, version 2 <c>LOCAL</c>).
    /// </summary>
    /// <exception cref="InvalidDataException">The connection does not start with a header.</exception>
    /// <exception cref="OperationCanceledException">No header within the time <paramref name="cancellationToken"/> gives.</exception>
    public static async Task<IPEndPoint> ReadClientAsync(Socket socket, IPEndPoint proxy, CancellationToken cancellationToken)
    {
        // both versions are at least 15 bytes, so 8 bytes never reach past the header
        var start = new byte[16];
        await ReceiveExactlyAsync(socket, start.AsMemory(0, 8), cancellationToken).ConfigureAwait(false);
        if (start.AsSpan(0, 8).SequenceEqual(V2Signature.AsSpan(0, 8)))
        {
            await ReceiveExactlyAsync(socket, start.AsMemory(8, 8), cancellationToken).ConfigureAwait(false);
            var length = V2BodyLength(start);
            var body = new byte[length];
            await ReceiveExactlyAsync(socket, body, cancellationToken).ConfigureAwait(false);
            return ParseV2(start, body, proxy);
        }
        if (start.AsSpan(0, V1Prefix.Length).SequenceEqual(V1Prefix))
        {
            var line = new byte[MaxV1Length];
            start.AsSpan(0, 8).CopyTo(line);
            var length = 8;
            // one byte at a time up to the line's end: the bytes after it are the client's
            while (line[length - 1] != (byte)'\n')
            {
                if (length == MaxV1Length)
                {
                    throw new InvalidDataException("The PROXY header (version 1) is longer than 107 bytes.");
                }
                await ReceiveExactlyAsync(socket, line.AsMemory(length, 1), cancellationToken).ConfigureAwait(false);
                length++;
            }
            return ParseV1(line.AsSpan(0, length), proxy);
        }
        throw new InvalidDataException("The connection does not start with a PROXY protocol header.");
    }

    /// <summary>The client's endpoint from a whole version 1 line, CRLF included.</summary>
    /// <exception cref="InvalidDataException">Not a version 1 header.</exception>
    public static IPEndPoint ParseV1(ReadOnlySpan<byte> line, IPEndPoint proxy)
    {
        if (line.Length > MaxV1Length || !line.EndsWith("\r\n"u8) || !line.StartsWith(V1Prefix))
        {
            throw new InvalidDataException("A PROXY header (version 1) is one line of at most 107 bytes, ended by CRLF.");
        }
        var fields = Encoding.ASCII.GetString(line[..^2]).Split(' ');
        if (fields is [_, "UNKNOWN", ..])
        {
            return proxy;
        }
        if (fields is not [_, "TCP4" or "TCP6", var source, _, var sourcePort, _]
            || !IPAddress.TryParse(source, out var address)
            || address.AddressFamily != (fields[1] == "TCP4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6)
            || !TryParsePort(sourcePort, out var port))
        {
            throw new InvalidDataException("A PROXY header (version 1) reads PROXY TCP4|TCP6 SOURCE DESTINATION SOURCE-PORT DESTINATION-PORT.");
        }
        return new IPEndPoint(address, port);
    }

    /// <summary>The length of a version 2 header's body, from its first 16 bytes.</summary>
    /// <exception cref="InvalidDataException">Not a version 2 header, or one too long.</exception>
    public static int V2BodyLength(ReadOnlySpan<byte> start)
    {
        if (start.Length < 16 || !start[..12].SequenceEqual(V2Signature) || start[12] >> 4 != 2)
        {
            throw new InvalidDataException("Not a PROXY header of version 2.");
        }
        var length = BinaryPrimitives.ReadUInt16BigEndian(start[14..16]);
        return length <= MaxV2Body ? length : throw new InvalidDataException($"A PROXY header (version 2) of {length} bytes is longer than the {MaxV2Body} this server takes.");
    }

    /// <summary>The client's endpoint from a version 2 header: its first 16 bytes and its body.</summary>
    /// <exception cref="InvalidDataException">Not a version 2 header.</exception>
    public static IPEndPoint ParseV2(ReadOnlySpan<byte> start, ReadOnlySpan<byte> body, IPEndPoint proxy)
    {
        V2BodyLength(start);
        var command = start[12] & 0x0F;
        if (command == 0)
        {
            // LOCAL: the proxy speaking for itself
            return proxy;
        }
        if (command != 1)
        {
            throw new InvalidDataException($"A PROXY header (version 2) with the unknown command {command}.");
        }
        // the address family in the high half, the transport in the low one; TLVs after the addresses are not needed
        switch (start[13] >> 4, start[13] & 0x0F)
        {
            case (1, 1) when body.Length >= 12:
                return new IPEndPoint(new IPAddress(body[..4]), BinaryPrimitives.ReadUInt16BigEndian(body[8..10]));
            case (2, 1) when body.Length >= 36:
                return new IPEndPoint(new IPAddress(body[..16]), BinaryPrimitives.ReadUInt16BigEndian(body[32..34]));
            case (1 or 2, 1):
                throw new InvalidDataException("A PROXY header (version 2) too short for its addresses.");
            default:
                // UNSPEC, a Unix socket or a datagram: nothing this endpoint could limit by, so the proxy's own (as the specification says)
                return proxy;
        }
    }

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) && port <= 65535
        && (text.Length == 1 || text[0] != '0');

    private static async Task ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (buffer.Length > 0)
        {
            var count = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (count == 0)
            {
                throw new InvalidDataException("The proxy closed the connection inside the PROXY header.");
            }
            buffer = buffer[count..];
        }
    }
}
