using System.Buffers.Text;
using System.Text;

namespace Parley.Bench.Protocols;

/// <summary>What a received record (a line, or a WebSocket message) is to the generator.</summary>
internal enum RecordKind
{
    Other,
    Welcome,
    Joined,
    Ack,
    Ping,
    Error,
}

/// <summary>
/// One server's wire protocol, reduced to what the workloads need: say hello, join a room, send a
/// text to it, and tell welcomes, joins, acks and errors apart. Messages are recognized by the
/// payload marker (see <see cref="Load.Payload"/>), the same for every protocol. Writers fill a
/// caller's buffer and allocate nothing.
/// </summary>
internal abstract class ProtocolDriver
{
    public abstract string RoomName(int room);

    public abstract int WriteHello(Span<byte> destination, string user);

    public abstract int WriteJoin(Span<byte> destination, string room);

    /// <summary>A send of <paramref name="text"/> to <paramref name="room"/> with a unique id, and what makes the server acknowledge it.</summary>
    public abstract int WriteSend(Span<byte> destination, string room, string runId, long seq, ReadOnlySpan<byte> text);

    /// <summary>What a record is; <paramref name="joinPending"/> is true from sending a join until its reply.</summary>
    public abstract RecordKind Classify(ReadOnlySpan<byte> record, bool joinPending);

    /// <summary>The reply to a server's keep-alive ping, if the protocol has one.</summary>
    public virtual int WritePong(Span<byte> destination, ReadOnlySpan<byte> ping) => 0;

    public static ProtocolDriver For(string server) => server switch
    {
        "parley" or "parley-ws" => new ParleyProtocol(),
        "irc" => new IrcProtocol(),
        "redis" => new RedisProtocol(),
        _ => throw new ArgumentException($"no driver for {server}"),
    };

    protected static int Put(Span<byte> destination, ref int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[at..]);
        at += bytes.Length;
        return at;
    }

    protected static int Put(Span<byte> destination, ref int at, string ascii)
    {
        at += Encoding.ASCII.GetBytes(ascii, destination[at..]);
        return at;
    }

    protected static int Put(Span<byte> destination, ref int at, long number)
    {
        Utf8Formatter.TryFormat(number, destination[at..], out var written);
        at += written;
        return at;
    }
}
