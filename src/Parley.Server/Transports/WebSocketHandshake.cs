using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Parley.Server.Transports;

/// <summary>
/// Recognises the opening handshake of a WebSocket at <c>/ws</c> (RFC 6455, section 4.2.1) in the
/// first bytes of an HTTP connection, and writes the server's answer.
/// </summary>
/// <remarks>
/// It recognises only a plain, well-formed request that Kestrel's WebSocket middleware would accept
/// the same way: <c>GET /ws</c> (a query allowed) over HTTP/1.1 with a <c>Host</c> of name or
/// address and port, <c>Upgrade: websocket</c>, <c>Connection: Upgrade</c>, version 13 and a valid
/// key, no sub-protocol asked for, no body, header names that are tokens and every header line plain
/// ASCII. Anything else (another path, a malformed request, a head longer than
/// <see cref="MaxHeadBytes"/> or not yet complete) is not recognised and goes to Kestrel, which
/// answers it as before, so this is never the one to refuse a request. Parley configures no host
/// filtering and no allowed origins, which Kestrel would otherwise apply.
/// </remarks>
internal static class WebSocketHandshake
{
    /// <summary>The longest head recognised here; a browser's handshake, cookies and all, is well under it.</summary>
    public const int MaxHeadBytes = 4096;

    // RFC 6455, section 1.3
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    // what a header line recognised here may hold: visible ASCII, spaces and tabs
    private static readonly SearchValues<byte> HeaderText = SearchValues.Create([(byte)'\t', .. Enumerable.Range(' ', '~' - ' ' + 1).Select(b => (byte)b)]);

    // a header name is a token (RFC 9110, section 5.6.2)
    private static readonly SearchValues<byte> TokenBytes = SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    // a Host recognised here: a name, an IPv4 or a bracketed IPv6 address, and a port
    private static readonly SearchValues<byte> HostBytes = SearchValues.Create("-.:[]_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    private static ReadOnlySpan<byte> EndOfHead => "\r\n\r\n"u8;

    /// <summary>
    /// Whether <paramref name="bytes"/> start with a whole WebSocket handshake for <c>/ws</c>;
    /// if so, how long its head is and the client's key.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out int headLength, out string key)
    {
        headLength = 0;
        key = "";
        var end = bytes.IndexOf(EndOfHead);
        if (end < 0)
        {
            return false;
        }
        var head = bytes[..(end + 2)];
        var lineEnd = head.IndexOf("\r\n"u8);
        if (!IsUpgradeRequestLine(head[..lineEnd]))
        {
            return false;
        }

        var seen = new HandshakeHeaders();
        var rest = head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            lineEnd = rest.IndexOf("\r\n"u8);
            if (!seen.TryAdd(rest[..lineEnd]))
            {
                return false;
            }
            rest = rest[(lineEnd + 2)..];
        }
        if (!seen.IsComplete)
        {
            return false;
        }
        headLength = end + EndOfHead.Length;
        key = seen.Key!;
        return true;
    }

    /// <summary>The 101 answer that completes the handshake for <paramref name="key"/>.</summary>
    public static byte[] Response(string key)
    {
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
        return Encoding.ASCII.GetBytes(
            "HTTP/1.1 101 Switching Protocols\r\n" +
            "Connection: Upgrade\r\n" +
            "Upgrade: websocket\r\n" +
            $"Sec-WebSocket-Accept: {accept}\r\n\r\n");
    }

    private static bool IsUpgradeRequestLine(ReadOnlySpan<byte> line)
    {
        if (!line.StartsWith("GET /ws"u8) || !line.EndsWith(" HTTP/1.1"u8))
        {
            return false;
        }
        // the target is /ws, or /ws with a query; nothing else may stand between it and the version
        var afterPath = line["GET /ws".Length..^" HTTP/1.1".Length];
        return afterPath.IsEmpty || (afterPath[0] == (byte)'?' && !afterPath.ContainsAnyExceptInRange((byte)'!', (byte)'~'));
    }

    /// <summary>The headers a handshake needs, each allowed once.</summary>
    private ref struct HandshakeHeaders
    {
        private bool _host;
        private bool _upgrade;
        private bool _connection;
        private bool _version;

        public string? Key { get; private set; }

        public readonly bool IsComplete => _host && _upgrade && _connection && _version && Key is not null;

        /// <summary>Takes one header line; false when the request is not one to recognise here.</summary>
        public bool TryAdd(ReadOnlySpan<byte> line)
        {
            var colon = line.IndexOf((byte)':');
            // no name, a folded line, or a byte that is not plain ASCII: Kestrel decides
            if (colon <= 0 || line.ContainsAnyExcept(HeaderText) || line[..colon].ContainsAnyExcept(TokenBytes))
            {
                return false;
            }
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (Is(name, "Host"))
            {
                return Once(ref _host, !value.IsEmpty && !value.ContainsAnyExcept(HostBytes));
            }
            if (Is(name, "Upgrade"))
            {
                return Once(ref _upgrade, HasToken(value, "websocket"));
            }
            if (Is(name, "Connection"))
            {
                return Once(ref _connection, HasToken(value, "upgrade"));
            }
            if (Is(name, "Sec-WebSocket-Version"))
            {
                return Once(ref _version, value.SequenceEqual("13"u8));
            }
            if (Is(name, "Sec-WebSocket-Key"))
            {
                if (Key is not null || !IsKey(value))
                {
                    return false;
                }
                Key = Encoding.ASCII.GetString(value);
                return true;
            }
            // a sub-protocol to choose, or a body: Kestrel's middleware answers those
            return !Is(name, "Sec-WebSocket-Protocol") && !Is(name, "Content-Length") && !Is(name, "Transfer-Encoding");
        }

        private static bool Once(ref bool seen, bool valid)
        {
            if (seen || !valid)
            {
                return false;
            }
            seen = true;
            return true;
        }

        private static bool Is(ReadOnlySpan<byte> name, string expected) => Ascii.EqualsIgnoreCase(name, expected);

        // a comma-separated list of tokens, compared without regard to case
        private static bool HasToken(ReadOnlySpan<byte> value, string token)
        {
            foreach (var range in value.Split((byte)','))
            {
                if (Ascii.EqualsIgnoreCase(value[range].Trim(" \t"u8), token))
                {
                    return true;
                }
            }
            return false;
        }

        // the base64 form of 16 bytes
        private static bool IsKey(ReadOnlySpan<byte> value)
        {
            Span<byte> decoded = stackalloc byte[18];
            return value.Length == 24 && Base64.DecodeFromUtf8(value, decoded, out _, out var written) == System.Buffers.OperationStatus.Done && written == 16;
        }
    }
}
