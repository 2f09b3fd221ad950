namespace Parley.Bench.Protocols;

/// <summary>
/// IRC (RFC 1459/2812) as ngircd and InspIRCd speak it: NICK/USER, JOIN, PRIVMSG. IRC has no
/// acknowledgment, so each PRIVMSG is followed by a PING whose PONG stands for it: the server
/// answers commands of a connection in order, after it has relayed the message.
/// </summary>
internal sealed class IrcProtocol : ProtocolDriver
{
    public override string RoomName(int room) => "#bench" + room.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override int WriteHello(Span<byte> destination, string user)
    {
        var at = 0;
        Put(destination, ref at, "NICK "u8);
        Put(destination, ref at, user);
        Put(destination, ref at, "\r\nUSER "u8);
        Put(destination, ref at, user);
        return Put(destination, ref at, " 0 * :bench\r\n"u8) - 2;
    }

    public override int WriteJoin(Span<byte> destination, string room)
    {
        var at = 0;
        Put(destination, ref at, "JOIN "u8);
        return Put(destination, ref at, room);
    }

    public override int WriteSend(Span<byte> destination, string room, string runId, long seq, ReadOnlySpan<byte> text)
    {
        var at = 0;
        Put(destination, ref at, "PRIVMSG "u8);
        Put(destination, ref at, room);
        Put(destination, ref at, " :"u8);
        Put(destination, ref at, text);
        Put(destination, ref at, "\r\nPING :"u8);
        return Put(destination, ref at, seq);
    }

    public override RecordKind Classify(ReadOnlySpan<byte> record, bool joinPending)
    {
        if (record.StartsWith("PING"u8))
        {
            return RecordKind.Ping;
        }
        // ":server 001 nick :Welcome", ":server 366 nick #room :End of NAMES", ":server PONG server :seq"
        var space = record.IndexOf((byte)' ');
        if (space < 0)
        {
            return RecordKind.Other;
        }
        var rest = record[(space + 1)..];
        return rest.StartsWith("PONG "u8) ? RecordKind.Ack
            : rest.StartsWith("001 "u8) ? RecordKind.Welcome
            : rest.StartsWith("366 "u8) ? RecordKind.Joined
            : rest.StartsWith("ERROR"u8) || record.StartsWith("ERROR"u8) ? RecordKind.Error
            : RecordKind.Other;
    }

    public override int WritePong(Span<byte> destination, ReadOnlySpan<byte> ping)
    {
        var at = 0;
        Put(destination, ref at, "PONG"u8);
        return Put(destination, ref at, ping[4..]);
    }
}
