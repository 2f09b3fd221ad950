using System.Buffers;
using System.Text;
using CsCheck;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Testing;
using Parley.Testing.Fuzzing;

namespace Parley.Server.Tests.Fuzzing;

/// <summary>
/// Generators of what a fuzzing client sends: generated frames (whose owed reply the protocol model
/// gives), hellos that succeed, garbage, damaged frames, empty lines or messages, binary messages and
/// frames over the limit, each split into pieces.
/// </summary>
internal static class WireGen
{
    private static readonly Gen<byte[]> s_garbage = Gen.Frequency(
        (2, Gen.Byte.Array[1, 40]),
        (2, Gen.OneOf("{", "}", "[", "]", "\"", ":", ",", " ", "\\", "\\u", "\\ud800", "type", "id", "ping", "hello", "null", "1e999", "é", "😀", "\r")
            .Array[1, 16].Select(tokens => Encoding.UTF8.GetBytes(string.Concat(tokens)))));

    private static readonly Gen<int[]> s_cuts = Gen.Frequency((2, Gen.Const(Array.Empty<int>())), (1, Gen.Int.Positive.Array[1, 4]));

    /// <summary>
    /// A connection's worth: up to 12 items, cut after the first that may close the connection; half the
    /// cases begin with a hello that succeeds, so that most items are read after it.
    /// </summary>
    public static Gen<WireCase> Case(Transport transport, int maxFrameBytes) =>
        Gen.Select(Gen.Bool, Hello, Item(transport, maxFrameBytes).Array[0, 12], Gen.Int.Positive.Array[0, 8],
            (helloFirst, hello, items, cuts) => new WireCase(UpToTheFirstThatMayClose(helloFirst ? [Modelled(hello, [], false), .. items] : items), cuts));

    private static Gen<WireItem> Item(Transport transport, int maxFrameBytes)
    {
        var webSocket = transport == Transport.WebSocket;
        var frames = ClientFrameGen.Frame(newlines: webSocket);
        // a TCP item is a line of the stream, which the case cuts into writes as a whole
        var fragments = webSocket ? s_cuts : Gen.Const(Array.Empty<int>());
        var items = new List<(int, IGen<WireItem>)>
        {
            (16, Gen.Select(frames, fragments, Gen.Bool, (frame, cuts, cr) => Modelled(frame, cuts, cr))),
            (12, Gen.Select(Request, fragments, Gen.Bool, (bytes, cuts, cr) => Read(WireItemKind.Text, bytes, cuts, cr))),
            (6, Gen.Select(Hello, fragments, Gen.Bool, (frame, cuts, cr) => Modelled(frame, cuts, cr))),
            (4, Gen.Select(s_garbage, fragments, Gen.Bool, (bytes, cuts, cr) => Read(WireItemKind.Text, Fit(bytes, webSocket), cuts, cr))),
            (2, Gen.Select(frames, Gen.Int.Positive, s_garbage, Gen.Bool, (frame, at, garbage, cutShort) =>
                Read(WireItemKind.Text, Fit(Damaged(frame.Utf8, at, garbage, cutShort), webSocket), [], false))),
            (2, Gen.Bool.Select(cr => Read(WireItemKind.Text, [], [], cr))),
            (1, Gen.Select(Gen.Int[1, 100], fragments, Gen.Bool, (over, cuts, cr) => Oversize(maxFrameBytes + over, cuts, cr))),
        };
        if (webSocket)
        {
            items.Add((2, Gen.Select(frames, fragments, (frame, cuts) => new WireItem(WireItemKind.Binary, frame.Utf8, null, false, Cuts(frame.Utf8.Length, cuts), false))));
        }
        return Gen.Frequency([.. items]);
    }

    // a request a server carries out after hello, so that its handlers run (sends commit, acks are in flight)
    private static Gen<byte[]> Request { get; } = Gen.Select(
        JsonGen.String(1, 12, loneSurrogates: false), Gen.Frequency((3, Gen.Const("#lobby")), (1, ClientFrameGen.FreshName.Select(name => "#" + name))),
        JsonGen.String(1, 20, loneSurrogates: false), Gen.Int[0, 7],
        (id, room, text, kind) => FrameCodec.ToBytes(kind switch
        {
            0 or 1 or 2 => new SendFrame { Id = id.Value, To = room, Text = text.Value },
            3 => new JoinFrame { Id = id.Value, Room = room },
            4 => new LeaveFrame { Id = id.Value, Room = room },
            5 => new WhoRequestFrame { Id = id.Value, Room = room },
            6 => new HistoryRequestFrame { Id = id.Value, To = room, Limit = 5 },
            _ => (ClientFrame)new PingFrame { Id = id.Value },
        }));

    // a hello that succeeds: a name nobody else uses, with an id or without
    private static Gen<GeneratedFrame> Hello { get; } = Gen.Select(
        ClientFrameGen.FreshName, Gen.Frequency((1, Gen.Const((JsonString?)null)), (3, JsonGen.String(1, 12, loneSurrogates: false).Select(id => (JsonString?)id))),
        (user, id) => ClientFrameGen.Render(
            [Member("type", Plain("hello")), .. id is null ? Array.Empty<JsonMember>() : [Member("id", id)], Member("user", Plain(user))],
            [.. Enumerable.Repeat("", 15)]));

    // a generated frame: the model says which reply it is owed
    private static WireItem Modelled(GeneratedFrame frame, int[] cuts, bool carriageReturn)
    {
        var expected = frame.Expected;
        return new WireItem(WireItemKind.Text, frame.Utf8, expected.Id, expected is { Code: null, Type: "quit" }, Cuts(frame.Utf8.Length, cuts), carriageReturn);
    }

    // bytes no model describes: the reply they are owed is the id the codec reads, which the protocol tests check
    private static WireItem Read(WireItemKind kind, byte[] bytes, int[] cuts, bool carriageReturn)
    {
        var read = FrameCodec.ReadClientFrame(new ReadOnlySequence<byte>(bytes));
        return new WireItem(kind, bytes, read.Id, read is { ErrorCode: null, Type: "quit" }, Cuts(bytes.Length, cuts), carriageReturn);
    }

    // a ping with an id, padded past the limit: it gets frame_too_large, without its id
    private static WireItem Oversize(int length, int[] cuts, bool carriageReturn)
    {
        var head = "{\"type\":\"ping\",\"id\":\"big\",\"pad\":\""u8.ToArray();
        var bytes = new byte[length];
        head.CopyTo(bytes, 0);
        bytes.AsSpan(head.Length).Fill((byte)'x');
        return new WireItem(WireItemKind.Oversize, bytes, null, false, Cuts(length, cuts), carriageReturn);
    }

    private static byte[] Damaged(byte[] frame, int at, byte[] garbage, bool cutShort) =>
        cutShort ? frame[..(at % (frame.Length + 1))] : [.. frame, .. garbage];

    // over TCP a line cannot hold a line feed; over WebSocket a text message must be UTF-8 (else the
    // WebSocket itself fails, before any frame is read)
    private static byte[] Fit(byte[] bytes, bool webSocket) =>
        webSocket ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes)) : [.. bytes.Select(b => b == (byte)'\n' ? (byte)' ' : b)];

    private static int[] Cuts(int length, int[] cuts) => [.. cuts.Select(cut => cut % (length + 1)).Order()];

    private static WireItem[] UpToTheFirstThatMayClose(WireItem[] items)
    {
        var first = Array.FindIndex(items, item => item.MayClose);
        return first < 0 ? items : items[..(first + 1)];
    }

    private static JsonString Plain(string text) => new(text, "\"" + text + "\"");

    private static JsonMember Member(string name, JsonString value) => new(Plain(name), JsonValue.Of(value));
}
