namespace Parley.Bench.Protocols;

/// <summary>
/// Redis pub/sub over RESP3 (inline commands): a user is one connection that subscribes to its room
/// and, when it sends, publishes to it; the PUBLISH reply (<c>:receivers</c>) is the acknowledgment.
/// RESP3 (<c>HELLO 3</c>) is what lets a subscribed connection publish: over RESP2 a sender needed
/// a second connection, and ten thousand senders then needed more descriptors than a process may
/// have here. Hello is <c>HELLO 3</c> then a PING (+PONG). Redis also delivers a message back to its
/// sender's own subscription; the receiver ignores those, so deliveries count the same as for chat
/// servers.
/// </summary>
internal sealed class RedisProtocol : ProtocolDriver
{
    public override string RoomName(int room) => "bench" + room.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override int WriteHello(Span<byte> destination, string user)
    {
        // HELLO's reply is a map holding integers (the protocol, the client id): the PONG after it is the
        // welcome. Those integers arrive before it, with no join pending and no send outstanding, so an
        // integer read as an ack then finds nothing to acknowledge and counts for nothing
        var at = 0;
        return Put(destination, ref at, "HELLO 3\r\nPING"u8);
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

    // the subscription's confirmation ends with the count of channels (":1"), as a PUBLISH reply is its receivers
    public override RecordKind Classify(ReadOnlySpan<byte> record, bool joinPending) =>
        record.StartsWith("+PONG"u8) ? RecordKind.Welcome
        : record.Length > 0 && record[0] == (byte)':' ? (joinPending ? RecordKind.Joined : RecordKind.Ack)
        : record.Length > 0 && record[0] == (byte)'-' ? RecordKind.Error
        : RecordKind.Other;
}
