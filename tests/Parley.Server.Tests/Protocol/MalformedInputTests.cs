using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Testing;
using static Parley.Server.Tests.Protocol.RefusalAssertions;

namespace Parley.Server.Tests.Protocol;

/// <summary>
/// Frames that are not frames: bad JSON, frames over the size limit, and garbage that must neither
/// crash the server nor disturb anyone else. Run over both transports; the cases that exist on one
/// transport only are in its subclass.
/// </summary>
public abstract class MalformedInputTests(Transport transport, ServerFactory? servers = null)
{
    /// <summary>Starts the server under test: one in-process server unless a subclass gives another factory.</summary>
    protected Task<IServerUnderTest> StartServerAsync(IDictionary<string, string>? settings = null) =>
        (servers ?? ServerFactories.InProcess)(settings);

    private const int DefaultLimit = ProtocolLimits.DefaultMaxFrameBytes;

    public static TheoryData<string, string?> NotAnObjectWithAStringType => new()
    {
        { "this is not json", null },
        { """{"type":"ping","id":"x" """, null },
        { """{"type":"ping"} {"type":"ping"}""", null },
        { """{"type":"ping"} trailing""", null },
        { """[{"type":"ping","id":"x"}]""", null },
        { """[]""", null },
        { "\"ping\"", null },
        { "42", null },
        { "null", null },
        { "{}", null },
        { """{"id":"b1","user":"alice"}""", "b1" },
        { """{"type":7,"id":"b2"}""", "b2" },
        { """{"type":null,"id":"b3"}""", "b3" },
        { """{"type":["ping"],"id":"b4"}""", "b4" },
        { """{"type":{"name":"ping"},"id":"b5"}""", "b5" },
    };

    [Theory]
    [MemberData(nameof(NotAnObjectWithAStringType))]
    public async Task AFrameThatIsNotAnObjectWithAStringTypeIsBadFrameAndTheConnectionStaysOpen(string json, string? id)
    {
        await AssertRefusedAfterHelloAsync(servers, transport, json, ErrorCodes.BadFrame, id);
    }

    [Fact]
    public async Task ABadFrameBeforeHelloLeavesTheConnectionOpenForHello()
    {
        await using var server = await StartServerAsync();
        await using var client = await server.ConnectAsync(transport);
        await client.AssertAnsweredWithErrorAsync("hello?", ErrorCodes.BadFrame, null);
        await client.AssertWelcomedAsync("alice");
        await client.AssertStaysOpenAsync();
    }

    [Theory]
    [InlineData(null)]
    [InlineData(4096)]
    public async Task AFrameOfExactlyTheLimitIsAccepted(int? configuredLimit)
    {
        await using var server = await StartServerAsync(Limit(configuredLimit));
        await using var alice = await server.HelloAsync(transport, "alice");
        await alice.SendRawAsync(PaddedPing("edge", configuredLimit ?? DefaultLimit));
        await alice.AssertPongAsync("edge");
    }

    [Theory]
    [InlineData(null)]
    [InlineData(4096)]
    public async Task AFrameOneByteOverTheLimitIsFrameTooLargeAndTheConnectionIsClosed(int? configuredLimit)
    {
        await using var server = await StartServerAsync(Limit(configuredLimit));
        await using var alice = await server.HelloAsync(transport, "alice");
        await alice.SendRawAsync(PaddedPing("over", (configuredLimit ?? DefaultLimit) + 1));
        await alice.AssertClosedAfterErrorAsync(ErrorCodes.FrameTooLarge);
    }

    [Fact]
    public async Task AFrameOverTheLimitDisturbsNoOneElse()
    {
        await using var server = await StartServerAsync();
        await using var bob = await server.HelloAsync(transport, "bob");
        await using var alice = await server.HelloAsync(transport, "alice");
        await alice.SendRawAsync(PaddedPing("huge", 4 * DefaultLimit));
        await alice.AssertClosedAfterErrorAsync(ErrorCodes.FrameTooLarge);
        await bob.WaitForAsync(f => f.Is("presence") && f.Str("user") == "alice" && f.Str("event") == "quit");
        await bob.AssertStaysOpenAsync();
    }

    /// <summary>
    /// One client throws garbage at the server while two others chat: the chatters get every message,
    /// in order, the garbage gets one error a frame, and the server stays healthy.
    /// </summary>
    [Fact]
    public async Task GarbageNeitherCrashesTheServerNorDisturbsOtherClients()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        await using var bob = await server.HelloAsync(transport, "bob");
        await using var mallory = await server.HelloAsync(transport, "mallory");
        await using var watcher = await server.HelloAsync(transport, "watcher");

        const int perChatter = 25;
        var (a, b) = (new Chatter(alice, "a"), new Chatter(bob, "b"));
        await Task.WhenAll(
            a.ChatAsync(perChatter),
            b.ChatAsync(perChatter),
            ThrowGarbageAsync(mallory),
            SendHalfAFrameAndVanishAsync(server, "trudy"));
        // the vanished client's session ended cleanly
        await watcher.WaitForAsync(f => f.Is("presence") && f.Str("user") == "trudy" && f.Str("event") == "quit");

        // a last message from each: everything before it in the lobby's order has been delivered
        await a.SayLastAsync();
        await b.SayLastAsync();
        Assert.Equal(Texts("a", perChatter), await b.HeardUpToAsync("a-last"));
        Assert.Equal(Texts("b", perChatter), await a.HeardUpToAsync("b-last"));

        var errors = new List<JsonElement>();
        await mallory.SendAsync(new PingFrame { Id = "still-there" });
        var (_, beforePong) = await mallory.WaitForAsync(f => f.Is("pong") && f.Id() == "still-there");
        foreach (var frame in beforePong.Where(f => f.Is("error")))
        {
            Assert.Contains(frame.Str("code"), GarbageCodes);
            errors.Add(frame.AssertError(frame.Str("code")!));
        }
        Assert.Equal(Garbage().Count, errors.Count);

        using var http = server is TestServer single ? single.CreateHttpClient() : new HttpClient { BaseAddress = new Uri($"http://{server.Http}/") };
        using var health = await http.GetAsync(new Uri("healthz", UriKind.Relative)).WaitAsync(Waits.Frame);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private static readonly string[] GarbageCodes = [ErrorCodes.BadFrame, ErrorCodes.InvalidField, ErrorCodes.UnknownType];

    /// <summary>Frames that each deserve exactly one error and nothing else.</summary>
    private static List<byte[]> Garbage()
    {
        var random = new Random(20_261_124);
        var noise = new byte[2_000];
        random.NextBytes(noise);
        for (var i = 0; i < noise.Length; i++)
        {
            // one line: no line ending inside, and certainly not UTF-8
            noise[i] = noise[i] is (byte)'\n' or (byte)'\r' ? (byte)0xFF : noise[i];
        }
        noise[0] = 0xC3; // a lead byte followed by no continuation
        var utf8 = Encoding.UTF8;
        return
        [
            noise,
            [0, 0, 0, 0],
            [0xFF, 0xFE, 0xFD],
            utf8.GetBytes(new string('[', 10_000)),
            utf8.GetBytes("""{"type":"ping","id":"deep","x":""" + new string('[', 10_000) + new string(']', 10_000) + "}"),
            utf8.GetBytes("""{"type":"history","id":"n1","to":"#lobby","limit":1e400}"""),
            utf8.GetBytes("""{"type":"history","id":"n2","to":"#lobby","before":123456789012345678901234567890}"""),
            utf8.GetBytes("123456789012345678901234567890e999999"),
            utf8.GetBytes("""{"type":"send","id":"g1","to":"#lobby","text":"\u0000"}"""),
            utf8.GetBytes("""{"type":"send","id":"g2","to":"#lobby","text":"\ud800"}"""),
            [.. utf8.GetBytes("""{"type":"send","id":"g3","to":"#lobby","text":"bad """), 0xFF, 0xC0, .. utf8.GetBytes("\"}")],
            utf8.GetBytes("""{"type":"\u0000","id":"g4"}"""),
            utf8.GetBytes($$"""{"type":"ping","id":"{{new string('x', 1_000)}}"}"""),
        ];
    }

    private async Task ThrowGarbageAsync(RawClient client)
    {
        foreach (var bytes in Garbage())
        {
            await SendBytesAsync(client, bytes);
        }
    }

    /// <summary>Puts bytes on the wire as one frame: a line on TCP; a text message on WebSocket, or a binary one when they are not UTF-8.</summary>
    private static Task SendBytesAsync(RawClient client, byte[] bytes) => client.Transport switch
    {
        Transport.Tcp => client.WriteTcpAsync([.. bytes, (byte)'\n']),
        _ when Utf8.IsValid(bytes) => client.SendRawAsync(Encoding.UTF8.GetString(bytes)),
        _ => client.SendBinaryAsync(bytes),
    };

    /// <summary>Says hello, sends the first half of a message, and disconnects.</summary>
    private async Task SendHalfAFrameAndVanishAsync(IServerUnderTest server, string user)
    {
        var hello = FrameCodec.ToJson(new HelloFrame { User = user });
        var half = Encoding.UTF8.GetBytes("""{"type":"send","id":"half","to":"#lobby","text":"this message never ends""");
        if (transport == Transport.Tcp)
        {
            await using var client = await server.ConnectAsync(Transport.Tcp);
            await client.WriteTcpAsync([.. Encoding.UTF8.GetBytes(hello + "\n"), .. half]);
            Assert.True((await client.NextAsync()).Is("welcome"));
            client.Abort();
            return;
        }
        // RawClient sends whole messages only: a fragment needs the socket itself
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(server.WebSocketUri, CancellationToken.None).WaitAsync(Waits.Frame);
        await socket.SendAsync(Encoding.UTF8.GetBytes(hello), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Waits.Frame);
        var buffer = new byte[4096];
        var welcome = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Waits.Frame);
        Assert.Contains("welcome", Encoding.UTF8.GetString(buffer, 0, welcome.Count), StringComparison.Ordinal);
        await socket.SendAsync(half, WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None).WaitAsync(Waits.Frame);
        socket.Abort();
    }

    private static List<string> Texts(string prefix, int count) => [.. Enumerable.Range(0, count).Select(i => $"{prefix}{i}"), $"{prefix}-last"];

    /// <summary>A client that chats in the lobby and keeps every message it hears while it waits for its acks.</summary>
    private sealed class Chatter(RawClient client, string prefix)
    {
        private readonly List<JsonElement> _heard = [];

        /// <summary>Sends <paramref name="count"/> messages without waiting, then takes every ack.</summary>
        public async Task ChatAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                await client.SendAsync(new SendFrame { Id = $"{prefix}{i}", To = "#lobby", Text = $"{prefix}{i}" });
            }
            for (var i = 0; i < count; i++)
            {
                await AckAsync($"{prefix}{i}");
            }
        }

        /// <summary>Sends the last message; once acked, everything before it in the lobby is on its way.</summary>
        public async Task SayLastAsync()
        {
            await client.SendAsync(new SendFrame { Id = $"{prefix}-last", To = "#lobby", Text = $"{prefix}-last" });
            await AckAsync($"{prefix}-last");
        }

        /// <summary>The texts heard, in order, up to and including <paramref name="lastText"/>; their seqs must rise.</summary>
        public async Task<List<string>> HeardUpToAsync(string lastText)
        {
            if (!_heard.Any(m => m.Str("text") == lastText))
            {
                var (last, skipped) = await client.WaitForAsync(f => f.Is("message") && f.Str("text") == lastText);
                _heard.AddRange(skipped.Where(f => f.Is("message")).Append(last));
            }
            var messages = _heard.TakeWhile(m => m.Str("text") != lastText).Append(_heard.First(m => m.Str("text") == lastText)).ToList();
            var seqs = messages.Select(m => m.Num("seq")).ToList();
            Assert.Equal(seqs.Order(), seqs);
            return [.. messages.Select(m => m.Str("text")!)];
        }

        private async Task AckAsync(string id)
        {
            var (ack, skipped) = await client.WaitForAsync(f => f.Id() == id);
            _heard.AddRange(skipped.Where(f => f.Is("message")));
            Assert.True(ack.Is("ack"), ack.GetRawText());
        }
    }

    /// <summary>A ping of exactly <paramref name="bytes"/> bytes of JSON, padded with a field the server ignores.</summary>
    protected static string PaddedPing(string id, int bytes)
    {
        var empty = $$"""{"type":"ping","id":"{{id}}","pad":""}""";
        var json = empty.Insert(empty.Length - 2, new string('p', bytes - empty.Length));
        Assert.Equal(bytes, Encoding.UTF8.GetByteCount(json));
        return json;
    }

    private static Dictionary<string, string>? Limit(int? maxFrameBytes) =>
        maxFrameBytes is { } limit ? new() { ["Parley:MaxFrameBytes"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture) } : null;
}

/// <summary>The malformed input of line-delimited TCP, where the frame's end is a byte in the stream.</summary>
public sealed class TcpMalformedInputTests() : MalformedInputTests(Transport.Tcp)
{
    [Fact]
    public async Task AFrameArrivingOneByteAtATimeIsReadAsOneFrame()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync(Transport.Tcp);
        foreach (var b in Encoding.UTF8.GetBytes("{\"type\":\"hello\",\"user\":\"alice\"}\r\n"))
        {
            await alice.WriteTcpAsync([b]);
        }
        Assert.Equal("welcome", (await alice.NextAsync()).Type());
    }

    [Fact]
    public async Task LongFramesAreReadWholeWhereverTheWritesSplitThem()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.HelloAsync(Transport.Tcp, "alice");
        // lines several times longer than the server's first read buffer, behind a short one and cut
        // at odd places, so that a partial line is carried over, moved to the front and grown
        var stream = Encoding.UTF8.GetBytes(
            PaddedPing("short", 100) + "\n" + PaddedPing("long", 10_000) + "\r\n" + PaddedPing("longest", ProtocolLimits.DefaultMaxFrameBytes) + "\n");
        for (var offset = 0; offset < stream.Length; offset += 3_001)
        {
            await alice.WriteTcpAsync(stream[offset..Math.Min(stream.Length, offset + 3_001)]);
        }
        await alice.AssertPongAsync("short");
        await alice.AssertPongAsync("long");
        await alice.AssertPongAsync("longest");
        await alice.AssertStaysOpenAsync();
    }

    [Fact]
    public async Task ALineOverTheLimitWithNoNewlineYetIsFrameTooLargeAndTheConnectionIsClosed()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.HelloAsync(Transport.Tcp, "alice");
        var unended = PaddedPing("endless", ProtocolLimits.DefaultMaxFrameBytes + 1_000);
        await alice.WriteTcpAsync(Encoding.UTF8.GetBytes(unended));
        await alice.AssertClosedAfterErrorAsync(ErrorCodes.FrameTooLarge);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public async Task TheLineEndingDoesNotCountTowardTheLimit(string ending)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.HelloAsync(Transport.Tcp, "alice");
        await alice.WriteTcpAsync(Encoding.UTF8.GetBytes(PaddedPing("edge", ProtocolLimits.DefaultMaxFrameBytes) + ending));
        await alice.AssertPongAsync("edge");
    }

    [Fact]
    public async Task ALineEndedByCrLfOneByteOverTheLimitIsFrameTooLarge()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.HelloAsync(Transport.Tcp, "alice");
        await alice.WriteTcpAsync(Encoding.UTF8.GetBytes(PaddedPing("over", ProtocolLimits.DefaultMaxFrameBytes + 1) + "\r\n"));
        await alice.AssertClosedAfterErrorAsync(ErrorCodes.FrameTooLarge);
    }

    [Fact]
    public async Task EmptyLinesAreIgnored()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.HelloAsync(Transport.Tcp, "alice");
        await alice.WriteTcpAsync("\n\r\n\n\r\n"u8.ToArray());
        await alice.AssertStaysOpenAsync();
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE, 0xFD })]
    [InlineData(new byte[] { 0, 0, 0 })]
    [InlineData(new byte[] { (byte)'{', 0, (byte)'}' })]
    public async Task ALineOfBytesThatAreNotJsonIsBadFrameAndTheConnectionStaysOpen(byte[] line)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.HelloAsync(Transport.Tcp, "alice");
        await alice.WriteTcpAsync([.. line, (byte)'\n']);
        (await alice.NextReplyAsync()).AssertErrorFor(ErrorCodes.BadFrame, null);
        await alice.AssertStaysOpenAsync();
    }

    [Fact]
    public async Task SeveralFramesInOneWriteEachGetTheirOwnReply()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.HelloAsync(Transport.Tcp, "alice");
        await alice.WriteTcpAsync(Encoding.UTF8.GetBytes("not json\n{\"type\":\"dance\",\"id\":\"d\"}\r\n{\"type\":\"join\",\"id\":\"j\"}\n"));
        (await alice.NextReplyAsync()).AssertErrorFor(ErrorCodes.BadFrame, null);
        (await alice.NextReplyAsync()).AssertErrorFor(ErrorCodes.UnknownType, "d");
        (await alice.NextReplyAsync()).AssertErrorFor(ErrorCodes.MissingField, "j");
        await alice.AssertStaysOpenAsync();
    }
}

/// <summary>The malformed input of WebSocket, where a message is the frame.</summary>
public sealed class WebSocketMalformedInputTests() : MalformedInputTests(Transport.WebSocket)
{
    [Fact]
    public async Task ABinaryMessageIsBadFrameAndTheConnectionStaysOpen()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.HelloAsync(Transport.WebSocket, "alice");
        await alice.SendBinaryAsync(Encoding.UTF8.GetBytes("""{"type":"ping","id":"binary"}"""));
        (await alice.NextReplyAsync()).AssertErrorFor(ErrorCodes.BadFrame, null);
        await alice.AssertStaysOpenAsync();
    }
}
