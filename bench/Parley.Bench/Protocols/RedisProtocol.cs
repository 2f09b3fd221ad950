namespace Parley.Bench.Protocols;

/// <summary>
/// Redis pub/sub (RESP2, inline commands): a user is a SUBSCRIBE connection; a sender also has a
/// publisher connection, whose PUBLISH reply (<c>:receivers</c>) is the acknowledgment. Hello is a
/// PING (+PONG). Redis also delivers a message back to its sender's own subscription; the receiver
/// ignores those, so deliveries count the same as for chat servers.
/// </summary>
internal sealed class RedisProtocol : ProtocolDriver
{
    public override bool SeparatePublisher => true;

    public override string RoomName(int room) => "bench" + room.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override int WriteHello(Span<byte> destination, string user)
    {
        "PING"u8.CopyTo(destination);
        return 4;
    }

    public override int WriteJoin(Span<byte> destination, string room)
    {
        var at = 0;
        Put(destination, ref at, "SUBSCRIBE "u8);
        return Put(destination, ref at, room);
    }

    public override int WriteSend(Span<byte> destination, string room, string runId, long seq, ReadOnlySpan<byte> text)
    {
        var at = 0;
        Put(destination, ref at, "PUBLISH "u8);
        Put(destination, ref at, room);
        Put(destination, ref at, " "u8);
        return Put(destination, ref at, text);
    }

    public override RecordKind Classify(ReadOnlySpan<byte> record, bool publisher) =>
        record.StartsWith("+PONG"u8) ? RecordKind.Welcome
        : record.Length > 0 && record[0] == (byte)':' ? (publisher ? RecordKind.Ack : RecordKind.Joined)
        : record.Length > 0 && record[0] == (byte)'-' ? RecordKind.Error
        : RecordKind.Other;
}
