namespace Parley.Bench.Protocols;

/// <summary>Parley protocol v1: JSON frames, <c>send</c> acknowledged by <c>ack</c> after the commit.</summary>
internal sealed class ParleyProtocol : ProtocolDriver
{
    public override string RoomName(int room) => "#bench" + room.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override int WriteHello(Span<byte> destination, string user)
    {
        var at = 0;
        Put(destination, ref at, "{\"type\":\"hello\",\"user\":\""u8);
        Put(destination, ref at, user);
        return Put(destination, ref at, "\",\"client\":\"parley-bench\"}"u8);
    }

    public override int WriteJoin(Span<byte> destination, string room)
    {
        var at = 0;
        Put(destination, ref at, "{\"type\":\"join\",\"room\":\""u8);
        Put(destination, ref at, room);
        return Put(destination, ref at, "\"}"u8);
    }

    public override int WriteSend(Span<byte> destination, string room, string runId, long seq, ReadOnlySpan<byte> text)
    {
        var at = 0;
        Put(destination, ref at, "{\"type\":\"send\",\"id\":\""u8);
        Put(destination, ref at, runId);
        Put(destination, ref at, "."u8);
        Put(destination, ref at, seq);
        Put(destination, ref at, "\",\"to\":\""u8);
        Put(destination, ref at, room);
        Put(destination, ref at, "\",\"text\":\""u8);
        Put(destination, ref at, text);
        return Put(destination, ref at, "\"}"u8);
    }

    public override RecordKind Classify(ReadOnlySpan<byte> record, bool joinPending) =>
        record.StartsWith("{\"type\":\"ack\""u8) ? RecordKind.Ack
        : record.StartsWith("{\"type\":\"welcome\""u8) ? RecordKind.Welcome
        : record.StartsWith("{\"type\":\"joined\""u8) ? RecordKind.Joined
        : record.StartsWith("{\"type\":\"error\""u8) ? RecordKind.Error
        : RecordKind.Other;
}
