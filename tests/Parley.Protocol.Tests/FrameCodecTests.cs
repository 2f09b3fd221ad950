using System.Buffers;
using System.Text;
using System.Text.Json;
using Parley.Protocol.Frames;

namespace Parley.Protocol.Tests;

public class FrameCodecTests
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // ---- client frames, as the server reads them

    [Fact]
    public void HelloIsReadWithItsFields()
    {
        var hello = ReadOk<HelloFrame>("""
            {"type":"hello","id":"h1","user":"alice","password":"s3cret-pw","client":"parley-tui/0.1.0","resume":{"#lobby":12,"bob":3}}
            """);

        Assert.Equal("h1", hello.Id);
        Assert.Equal("alice", hello.User);
        Assert.Equal("s3cret-pw", hello.Password);
        Assert.Equal("parley-tui/0.1.0", hello.Client);
        Assert.Equal(new Dictionary<string, long> { ["#lobby"] = 12, ["bob"] = 3 }, hello.Resume);
    }

    [Fact]
    public void HelloWithOnlyAUserHasNoOptionalFields()
    {
        var hello = ReadOk<HelloFrame>("""{"type":"hello","user":"alice"}""");

        Assert.Equal("alice", hello.User);
        Assert.Null(hello.Id);
        Assert.Null(hello.Password);
        Assert.Null(hello.Client);
        Assert.Null(hello.Resume);
    }

    [Fact]
    public void RegisterIsReadWithItsPassword()
    {
        var register = ReadOk<RegisterFrame>("""{"type":"register","id":"r1","password":"correct horse"}""");

        Assert.Equal("r1", register.Id);
        Assert.Equal("correct horse", register.Password);
    }

    [Fact]
    public void SendIsReadWithItsFields()
    {
        var send = ReadOk<SendFrame>("""{"type":"send","id":"a1","to":"#lobby","text":"hi all\nsecond line ☕"}""");

        Assert.Equal("a1", send.Id);
        Assert.Equal("#lobby", send.To);
        Assert.Equal("hi all\nsecond line ☕", send.Text);
    }

    [Theory]
    [InlineData("join", typeof(JoinFrame))]
    [InlineData("leave", typeof(LeaveFrame))]
    [InlineData("who", typeof(WhoRequestFrame))]
    public void RoomFramesAreReadWithTheirRoom(string type, Type frameType)
    {
        var result = Read($$"""{"type":"{{type}}","id":"j1","room":"#Dev"}""");

        Assert.Null(result.ErrorCode);
        Assert.IsType(frameType, result.Frame);
        var room = result.Frame switch
        {
            JoinFrame join => join.Room,
            LeaveFrame leave => leave.Room,
            WhoRequestFrame who => who.Room,
            _ => null,
        };
        Assert.Equal("#Dev", room);
        Assert.Equal("j1", result.Frame!.Id);
    }

    [Fact]
    public void HistoryIsReadWithItsFields()
    {
        var history = ReadOk<HistoryRequestFrame>("""{"type":"history","id":"q1","to":"bob","before":100,"after":3,"limit":20}""");

        Assert.Equal("bob", history.To);
        Assert.Equal(100, history.Before);
        Assert.Equal(3, history.After);
        Assert.Equal(20, history.Limit);
    }

    [Fact]
    public void HistoryWithOnlyAConversationLeavesPagingUnset()
    {
        var history = ReadOk<HistoryRequestFrame>("""{"type":"history","to":"#lobby"}""");

        Assert.Null(history.Before);
        Assert.Null(history.After);
        Assert.Null(history.Limit);
    }

    [Theory]
    [InlineData("rooms", typeof(RoomsRequestFrame))]
    [InlineData("ping", typeof(PingFrame))]
    [InlineData("quit", typeof(QuitFrame))]
    public void FramesWithoutRequiredFieldsAreRead(string type, Type frameType)
    {
        var result = Read($$"""{"type":"{{type}}","id":"p1"}""");

        Assert.Null(result.ErrorCode);
        Assert.Null(result.ErrorMessage);
        Assert.IsType(frameType, result.Frame);
        Assert.Equal(type, result.Frame!.Type);
        Assert.Equal("p1", result.Id);
    }

    [Fact]
    public void QuitIsReadWithItsReason()
    {
        var quit = ReadOk<QuitFrame>("""{"type":"quit","reason":"closing the laptop"}""");

        Assert.Equal("closing the laptop", quit.Reason);
    }

    [Fact]
    public void UnknownFieldsAreIgnored()
    {
        var send = ReadOk<SendFrame>("""
            {"v":2,"type":"send","extra":{"nested":[1,{"deep":"\ud800"}]},"id":"a1","to":"#x","text":"hi","flag":true,"none":null}
            """);

        Assert.Equal("a1", send.Id);
        Assert.Equal("#x", send.To);
        Assert.Equal("hi", send.Text);
    }

    [Fact]
    public void EscapedTypeAndIdAreReadAsTheirCharacters()
    {
        var send = ReadOk<SendFrame>("""{"type":"s\u0065nd","id":"\u00e9t\u00e9","to":"#x","text":"hi"}""");

        Assert.Equal(FrameTypes.Send, send.Type);
        Assert.Equal("été", send.Id);
    }

    [Fact]
    public void ARepeatedIdIsReadAsItsLastValueByFrameAndResultAlike()
    {
        var result = Read("""{"type":"ping","id":"first","id":"last"}""");

        Assert.Equal(("last", "last"), (result.Frame!.Id, result.Id));
    }

    [Fact]
    public void FrameSplitAcrossSegmentsIsReadWhole()
    {
        var result = FrameCodec.ReadClientFrame(TestSegment.BytePerSegment("""{"type":"send","id":"a1","to":"#x","text":"größer"}"""));

        var send = Assert.IsType<SendFrame>(result.Frame);
        Assert.Equal("größer", send.Text);
    }

    [Fact]
    public void SuccessfulReadCarriesTheId()
    {
        var result = Read("""{"type":"ping","id":"p-1"}""");

        Assert.Equal("p-1", result.Id);
        Assert.Null(result.ErrorCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("hello")]
    [InlineData("{\"type\":\"ping\"")]
    [InlineData("{\"type\":\"ping\",}")]
    [InlineData("{'type':'ping'}")]
    [InlineData("42")]
    [InlineData("\"ping\"")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("[]")]
    [InlineData("[{\"type\":\"ping\"}]")]
    [InlineData("{}")]
    [InlineData("{\"id\":\"a1\"}")]
    [InlineData("{\"Type\":\"ping\"}")]
    [InlineData("{\"type\":1}")]
    [InlineData("{\"type\":null}")]
    [InlineData("{\"type\":[\"ping\"]}")]
    [InlineData("{\"type\":{\"name\":\"ping\"}}")]
    [InlineData("{\"type\":\"ping\"} x")]
    [InlineData("{\"type\":\"ping\"}{}")]
    [InlineData("{\"type\":\"ping\"}{\"type\":\"ping\"}")]
    [InlineData("{\"type\":\"ping\"},")]
    [InlineData("{\"type\":\"ping\"}]")]
    [InlineData("{\"type\":\"ping\"} /* comment */")]
    public void MalformedFrameIsBadFrame(string json)
    {
        var result = Read(json);

        Assert.Equal(ErrorCodes.BadFrame, result.ErrorCode);
        Assert.Null(result.Frame);
        Assert.False(string.IsNullOrWhiteSpace(result.ErrorMessage));
    }

    [Fact]
    public void FrameWithoutTypeCarriesItsId()
    {
        var result = Read("""{"id":"a1","to":"#x"}""");

        Assert.Equal(ErrorCodes.BadFrame, result.ErrorCode);
        Assert.Equal("a1", result.Id);
    }

    [Theory]
    [InlineData("""{"id":""}""")]
    [InlineData("""{"id":"iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii"}""")]
    [InlineData("""{"id":"\ud800"}""")]
    [InlineData("""{"id":5,"id":"ok"}""")]
    [InlineData("""{"id":"ok","type":7,"id":null}""")]
    public void FrameWithoutTypeCarriesItsIdOnlyWhenTheIdIsValid(string json)
    {
        // found by fuzzing: an empty or 65-character id came back on the bad_frame, which no client can match
        var result = Read(json);

        Assert.Equal((ErrorCodes.BadFrame, (string?)null), (result.ErrorCode, result.Id));
    }

    [Theory]
    [InlineData("""{"type":"ping","id":"n1","\ud800":1}""")]
    [InlineData("""{"type":"ping","id":"n1","t\ud800":1}""")]
    [InlineData("""{"type":"ping","id":"n1","x\ud800":1}""")]
    [InlineData("""{"x\udc00":1,"type":"send","id":"n1","to":"#x","text":"hi"}""")]
    [InlineData("""{"type":"dance","id":"n1","x\ud800":1}""")]
    public void AMemberNameThatIsNotUnicodeIsABadFrameWhereverItStands(string json)
    {
        // found by fuzzing: it was a bad_frame where the name began like "type" or "id", else invalid_field
        // naming no field, or, for an unknown type, unknown_type
        var result = Read(json);

        Assert.Equal((ErrorCodes.BadFrame, (string?)null), (result.ErrorCode, result.Id));
        Assert.Contains("Unicode", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEscapedMemberNameThatIsUnicodeIsReadAsItsCharacters()
    {
        var result = Read("""{"\u0074ype":"ping","\u0069d":"e1","\u00e9t\u00e9":1,"\ud83d\ude00":2}""");

        Assert.IsType<PingFrame>(result.Frame);
        Assert.Equal("e1", result.Id);
    }

    [Theory]
    [InlineData("tr", "")]
    [InlineData("nu", "")]
    [InlineData("{\"type\":\"ping\",\"x\":fals", "")]
    public void ALiteralCutShortAtTheEndOfSeveralSegmentsIsABadFrameRatherThanAThrow(params string[] segments)
    {
        // found by fuzzing: the runtime's multi-segment reader threw IndexOutOfRangeException out of the codec
        var result = FrameCodec.ReadClientFrame(TestSegment.Sequence(segments));

        Assert.Equal((ErrorCodes.BadFrame, (string?)null), (result.ErrorCode, result.Id));
    }

    [Fact]
    public void FrameWithTrailingWhitespaceIsRead()
    {
        var result = Read(" \t{\"type\":\"ping\"} \t ");

        Assert.IsType<PingFrame>(result.Frame);
    }

    [Theory]
    [InlineData("typing")]
    [InlineData("welcome")]
    [InlineData("PING")]
    [InlineData("")]
    public void UnknownTypeIsUnknownTypeCarryingTheId(string type)
    {
        AssertRefused(Read($$"""{"type":"{{type}}","id":"u1"}"""), ErrorCodes.UnknownType, "u1", type);
    }

    [Theory]
    [InlineData("""{"type":"ping","id":"t1"}""", "ping")]
    [InlineData("""{"type":"typing","id":"t1"}""", "typing")]
    [InlineData("""{"type":"join","id":"t1"}""", "join")]
    [InlineData("""{"type":"join","id":"t1","room":7}""", "join")]
    [InlineData("""{"type":"hello","id":17}""", "hello")]
    [InlineData("""{"id":"t1"}""", null)]
    [InlineData("""{"type":7}""", null)]
    [InlineData("not json", null)]
    public void TheTypeIsReadWhateverElseIsWrongSoThatTheServerCanTellAFrameBeforeHello(string json, string? type)
    {
        Assert.Equal(type, Read(json).Type);
    }

    [Fact]
    public void LongUnknownTypeIsShortenedInTheMessage()
    {
        var result = Read($$"""{"type":"{{new string('t', 10_000)}}"}""");

        Assert.Equal(ErrorCodes.UnknownType, result.ErrorCode);
        Assert.True(result.ErrorMessage!.Length < 200, result.ErrorMessage);
    }

    [Theory]
    [InlineData("""{"type":"send","to":"#x","text":"hi"}""", "id")]
    [InlineData("""{"type":"send","id":"a1","text":"hi"}""", "to")]
    [InlineData("""{"type":"send","id":"a1","to":"#x"}""", "text")]
    [InlineData("""{"type":"send","id":"a1","to":"#x","text":null}""", "text")]
    [InlineData("""{"type":"hello","id":"a1","password":"pw"}""", "user")]
    [InlineData("""{"type":"join","id":"a1"}""", "room")]
    [InlineData("""{"type":"leave","id":"a1"}""", "room")]
    [InlineData("""{"type":"who","id":"a1"}""", "room")]
    [InlineData("""{"type":"history","id":"a1","before":5}""", "to")]
    [InlineData("""{"type":"register","id":"a1"}""", "password")]
    public void MissingRequiredFieldIsMissingFieldNamingIt(string json, string field)
    {
        AssertRefused(Read(json), ErrorCodes.MissingField, field == "id" ? null : "a1", field);
    }

    [Theory]
    [InlineData("""{"type":"send","id":"x1","to":"#x","text":42}""", "text")]
    [InlineData("""{"type":"send","id":"x1","to":"#x","text":{"s":"hi"}}""", "text")]
    [InlineData("""{"type":"send","id":"x1","to":["#x"],"text":"hi"}""", "to")]
    [InlineData("""{"type":"history","id":"x1","to":"#x","before":"5"}""", "before")]
    [InlineData("""{"type":"history","id":"x1","to":"#x","after":1.5}""", "after")]
    [InlineData("""{"type":"history","id":"x1","to":"#x","limit":"20"}""", "limit")]
    [InlineData("""{"type":"history","id":"x1","to":"#x","limit":true}""", "limit")]
    [InlineData("""{"type":"hello","id":"x1","user":7}""", "user")]
    [InlineData("""{"type":"hello","id":"x1","user":"alice","resume":{"#lobby":"12"}}""", "resume")]
    [InlineData("""{"type":"hello","id":"x1","user":"alice","resume":{"#lobby":null}}""", "resume")]
    [InlineData("""{"type":"hello","id":"x1","user":"alice","resume":{"a.b":1.5}}""", "resume")]
    [InlineData("""{"type":"hello","id":"x1","user":"alice","resume":[12]}""", "resume")]
    [InlineData("""{"type":"hello","id":"x1","user":"alice","resume":12}""", "resume")]
    [InlineData("""{"type":"register","id":"x1","password":false}""", "password")]
    [InlineData("""{"type":"join","id":"x1","room":{}}""", "room")]
    [InlineData("""{"type":"quit","id":"x1","reason":1}""", "reason")]
    [InlineData("""{"type":"send","id":"x1","to":"#x","text":"hi \ud800 there"}""", "text")]
    [InlineData("""{"type":"send","id":"x1","to":"#x","text":"\udc00"}""", "text")]
    [InlineData("""{"type":"send","id":"x1","to":"#x","text":"\ude00\ud83d"}""", "text")]
    [InlineData("""{"type":"hello","id":"x1","user":"al\ud800"}""", "user")]
    public void FieldOfTheWrongKindOrWithALoneSurrogateIsInvalidFieldNamingItAndCarryingTheId(string json, string field)
    {
        AssertRefused(Read(json), ErrorCodes.InvalidField, "x1", field);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[\"a1\"]")]
    [InlineData("\"a\\ud800\"")]
    public void IdOfTheWrongKindIsInvalidField(string id)
    {
        AssertRefused(Read($$"""{"type":"send","id":{{id}},"to":"#x","text":"hi"}"""), ErrorCodes.InvalidField, null, "id");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(ProtocolLimits.MaxIdLength + 1)]
    [InlineData(1_000)]
    public void IdOfTheWrongLengthIsInvalidField(int length)
    {
        AssertRefused(Read($$"""{"type":"ping","id":"{{new string('i', length)}}"}"""), ErrorCodes.InvalidField, null, "id");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(ProtocolLimits.MaxIdLength)]
    public void IdOfOneTo64CharactersIsAccepted(int length)
    {
        var id = new string('i', length);

        var result = Read($$"""{"type":"ping","id":"{{id}}"}""");

        Assert.IsType<PingFrame>(result.Frame);
        Assert.Equal(id, result.Id);
    }

    [Fact]
    public void SurrogatePairEscapeIsReadAsOneCharacter()
    {
        var send = ReadOk<SendFrame>("""{"type":"send","id":"a1","to":"#x","text":"\ud83d\ude00"}""");

        Assert.Equal("😀", send.Text);
    }

    [Theory]
    [InlineData("""{"type":"hello","user":"alice"}""")]
    [InlineData("""{"type":"hello","id":"h1","user":"Ålice","password":"pw","client":"parley/0.1.0","resume":{"#lobby":12,"bob":3}}""")]
    [InlineData("""{"type":"register","id":"r1","password":"correct horse"}""")]
    [InlineData("""{"type":"send","id":"a1","to":"#lobby","text":"hi all 😀 \"quoted\"\n"}""")]
    [InlineData("""{"type":"join","room":"#dev"}""")]
    [InlineData("""{"type":"leave","room":"#dev"}""")]
    [InlineData("""{"type":"history","id":"q1","to":"bob","before":100,"after":3,"limit":20}""")]
    [InlineData("""{"type":"history","to":"#lobby","after":3}""")]
    [InlineData("""{"type":"who","room":"#dev"}""")]
    [InlineData("""{"type":"rooms"}""")]
    [InlineData("""{"type":"ping","id":"p1"}""")]
    [InlineData("""{"type":"quit","reason":"bye"}""")]
    public void ClientFrameRoundTripsThroughTheWire(string json)
    {
        var result = Read(json);

        Assert.Null(result.ErrorCode);
        Assert.Equal(json, FrameCodec.ToJson(result.Frame!));
    }

    // ---- server frames, as clients read them

    [Theory]
    [InlineData("""{"type":"welcome","id":"h1","user":"alice","server":"parley/0.1.0","ts":"2026-11-24T09:00:00.000Z","rooms":["#lobby","#dev"]}""", typeof(WelcomeFrame))]
    [InlineData("""{"type":"ack","id":"a1","seq":1,"ts":"2026-11-24T09:00:01.250Z"}""", typeof(AckFrame))]
    [InlineData("""{"type":"message","seq":1,"to":"#lobby","from":"alice","text":"hi all","ts":"2026-11-24T09:00:01.250Z"}""", typeof(MessageFrame))]
    [InlineData("""{"type":"message","seq":9007199254740993,"to":"bob","from":"alice","text":"ça va ? 😀","ts":"2026-11-24T09:00:01.250Z","resumed":true}""", typeof(MessageFrame))]
    [InlineData("""{"type":"presence","room":"#lobby","user":"alice","event":"join","ts":"2026-11-24T09:00:00.000Z"}""", typeof(PresenceFrame))]
    [InlineData("""{"type":"joined","id":"j1","room":"#dev","users":["alice","bob"]}""", typeof(JoinedFrame))]
    [InlineData("""{"type":"left","room":"#dev"}""", typeof(LeftFrame))]
    [InlineData("""{"type":"history","id":"q1","to":"#dev","messages":[{"type":"message","seq":1,"to":"#dev","from":"bob","text":"first","ts":"2026-11-24T09:00:00.000Z"},{"type":"message","seq":2,"to":"#dev","from":"alice","text":"second","ts":"2026-11-24T09:00:00.001Z"}],"more":true}""", typeof(HistoryFrame))]
    [InlineData("""{"type":"history","to":"bob","messages":[],"more":false}""", typeof(HistoryFrame))]
    [InlineData("""{"type":"who","room":"#dev","users":["alice"]}""", typeof(WhoFrame))]
    [InlineData("""{"type":"rooms","rooms":[{"room":"#lobby","members":3},{"room":"#dev","members":1}]}""", typeof(RoomsFrame))]
    [InlineData("""{"type":"registered","id":"r1","user":"alice"}""", typeof(RegisteredFrame))]
    [InlineData("""{"type":"pong","id":"p1"}""", typeof(PongFrame))]
    [InlineData("""{"type":"error","id":"a1","code":"rate_limited","message":"Slow down.","retryAfterMs":50}""", typeof(ErrorFrame))]
    [InlineData("""{"type":"error","code":"bad_frame","message":"A frame must be a JSON object."}""", typeof(ErrorFrame))]
    public void ServerFrameRoundTripsThroughTheWire(string json, Type frameType)
    {
        var frame = FrameCodec.ReadServerFrame(Encoding.UTF8.GetBytes(json));

        Assert.IsType(frameType, frame);
        Assert.Equal(json, FrameCodec.ToJson(frame!));
        Assert.Equal(json, Encoding.UTF8.GetString(FrameCodec.ToBytes(frame!)));
        Assert.Equal(json, Encoding.UTF8.GetString(Written(frame!)));
    }

    [Fact]
    public void MessageIsReadWithItsFields()
    {
        var frame = FrameCodec.ReadServerFrame("""
            {"type":"message","seq":7,"to":"#lobby","from":"alice","text":"hi","ts":"2026-11-24T09:00:01.250Z","resumed":true}
            """u8);

        var message = Assert.IsType<MessageFrame>(frame);
        Assert.Equal(7, message.Seq);
        Assert.Equal("#lobby", message.To);
        Assert.Equal("alice", message.From);
        Assert.Equal("hi", message.Text);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 0, 1, 250, TimeSpan.Zero), message.Ts);
        Assert.Equal(TimeSpan.Zero, message.Ts.Offset);
        Assert.True(message.Resumed);
    }

    [Fact]
    public void BuiltServerFramesRoundTripWithEveryField()
    {
        var ts = new DateTimeOffset(2026, 11, 24, 9, 0, 1, 250, TimeSpan.Zero);
        var history = new HistoryFrame
        {
            Id = "q1",
            To = "#dev",
            More = true,
            Messages = [new MessageFrame { Seq = 41, To = "#dev", From = "bob", Text = "one", Ts = ts, Resumed = true }],
        };
        var rooms = new RoomsFrame { Rooms = [new RoomSummary { Room = "#lobby", Members = 3 }] };
        var error = new ErrorFrame { Id = "a9", Code = ErrorCodes.RateLimited, Message = "Slow down.", RetryAfterMs = 125 };

        var readHistory = Assert.IsType<HistoryFrame>(FrameCodec.ReadServerFrame(FrameCodec.ToBytes(history)));
        var readRooms = Assert.IsType<RoomsFrame>(FrameCodec.ReadServerFrame(FrameCodec.ToBytes(rooms)));
        var readError = Assert.IsType<ErrorFrame>(FrameCodec.ReadServerFrame(FrameCodec.ToBytes(error)));

        Assert.Equal(("q1", "#dev", true), (readHistory.Id, readHistory.To, readHistory.More));
        var message = Assert.Single(readHistory.Messages);
        Assert.Equal((41L, "#dev", "bob", "one", ts, (bool?)true), (message.Seq, message.To, message.From, message.Text, message.Ts, message.Resumed));
        var room = Assert.Single(readRooms.Rooms);
        Assert.Equal(("#lobby", 3), (room.Room, room.Members));
        Assert.Equal(("a9", ErrorCodes.RateLimited, "Slow down.", (long?)125), (readError.Id, readError.Code, readError.Message, readError.RetryAfterMs));
    }

    [Fact]
    public void AcksAndMessagesWrittenWithoutAFrameObjectAreTheFramesBytes()
    {
        var ts = new DateTimeOffset(2026, 11, 25, 4, 30, 0, 123, TimeSpan.Zero);

        var ack = FrameCodec.AckToBytes("a1", 7, ts);
        var message = FrameCodec.MessageToBytes(8, "#dev", "alice", "hi \"there\" 😀", ts);
        var nextAck = FrameCodec.AckToBytes("a2", 9, ts);

        Assert.Equal(FrameCodec.ToBytes(new AckFrame { Id = "a1", Seq = 7, Ts = ts }), ack);
        Assert.Equal(FrameCodec.ToBytes(new MessageFrame { Seq = 8, To = "#dev", From = "alice", Text = "hi \"there\" 😀", Ts = ts }), message);
        Assert.Equal(FrameCodec.ToBytes(new AckFrame { Id = "a2", Seq = 9, Ts = ts }), nextAck);
    }

    [Fact]
    public void TypeIsTheFirstPropertyWritten()
    {
        var ts = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
        object[] frames =
        [
            new WelcomeFrame { Id = "h1", User = "alice", Server = "parley/0.1.0", Ts = ts, Rooms = ["#lobby"] },
            new AckFrame { Id = "a1", Seq = 1, Ts = ts },
            new MessageFrame { Id = "m1", Seq = 1, To = "#x", From = "bob", Text = "hi", Ts = ts, Resumed = true },
            new PresenceFrame { Id = "p1", Room = "#x", User = "bob", Event = PresenceEvents.Quit, Ts = ts },
            new JoinedFrame { Id = "j1", Room = "#x", Users = ["bob"] },
            new LeftFrame { Id = "l1", Room = "#x" },
            new HistoryFrame { Id = "q1", To = "#x" },
            new WhoFrame { Id = "w1", Room = "#x" },
            new RoomsFrame { Id = "r1" },
            new RegisteredFrame { Id = "r2", User = "bob" },
            new PongFrame { Id = "p2" },
            new ErrorFrame { Id = "e1", Code = ErrorCodes.RateLimited, Message = "Slow down.", RetryAfterMs = 1 },
            new SendFrame { Id = "s1", To = "#x", Text = "hi" },
            new HelloFrame { Id = "h2", User = "bob", Resume = new() { ["#x"] = 1 } },
        ];

        foreach (var frame in frames)
        {
            using var json = JsonDocument.Parse(FrameCodec.ToJson(frame));
            var properties = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
            Assert.Equal(["type", "id"], properties.Take(2));
        }
    }

    [Fact]
    public void NullOptionalFieldsAreOmitted()
    {
        var ts = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

        var message = FrameCodec.ToJson(new MessageFrame { Seq = 1, To = "#x", From = "bob", Text = "hi", Ts = ts });
        var error = FrameCodec.ToJson(new ErrorFrame { Code = ErrorCodes.BadFrame, Message = "Not JSON." });
        var hello = FrameCodec.ToJson(new HelloFrame { User = "bob" });

        Assert.Equal("""{"type":"message","seq":1,"to":"#x","from":"bob","text":"hi","ts":"2026-11-24T09:00:00.000Z"}""", message);
        Assert.Equal("""{"type":"error","code":"bad_frame","message":"Not JSON."}""", error);
        Assert.Equal("""{"type":"hello","user":"bob"}""", hello);
    }

    [Theory]
    [InlineData("héllo wörld")]
    [InlineData("日本語のテキスト")]
    [InlineData("Ωμέγα — «quotes» ‘single’ …")]
    [InlineData("emoji 😀👍🏽 and 𝐀𝐁")]
    [InlineData("<b>&amp;'</b>")]
    public void NonAsciiIsWrittenUnescaped(string text)
    {
        var frame = new MessageFrame { Seq = 1, To = "#x", From = "bob", Text = text, Ts = DateTimeOffset.UnixEpoch };
        var expected = $$"""{"type":"message","seq":1,"to":"#x","from":"bob","text":"{{text}}","ts":"1970-01-01T00:00:00.000Z"}""";

        Assert.Equal(expected, FrameCodec.ToJson(frame));
        Assert.Equal(expected, Encoding.UTF8.GetString(FrameCodec.ToBytes(frame)));
        Assert.Equal(expected, Encoding.UTF8.GetString(Written(frame)));
    }

    [Fact]
    public void QuotesBackslashesAndControlCharactersAreStillEscaped()
    {
        var json = FrameCodec.ToJson(new MessageFrame { Text = "say \"hi\" \\ back\nnext\tcol\b\f\r\u0001\u001f" });

        Assert.Contains("""
            "text":"say \"hi\" \\ back\nnext\tcol\b\f\r\u0001\u001F"
            """, json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"")]
    [InlineData("\\")]
    [InlineData("\\\"\\\"")]
    [InlineData("😀")]
    [InlineData("\"😀")]
    [InlineData("😀\"")]
    [InlineData("😀\n😀")]
    [InlineData("a\u007f\u0080\u00a0\u2028\u2029\ufeff\ufffd\uffff")]
    [InlineData("\u0000\u001f\u0020")]
    [InlineData("</script><!-- & ' + `")]
    public void TextIsWrittenAsValidJsonAndReadBackExactly(string text)
    {
        Assert.Equal(text, WireRoundTrip(text));
    }

    [Fact]
    public void EveryControlCharacterIsWrittenAsValidJsonAndReadBackExactly()
    {
        var text = string.Concat(Enumerable.Range(0, 0x20).Select(c => $"{(char)c}x😀"));

        Assert.Equal(text, WireRoundTrip(text));
    }

    [Fact]
    public void LongTextIsWrittenAsValidJsonAndReadBackExactly()
    {
        var text = string.Concat(Enumerable.Repeat("héllo \"wörld\" 😀\n\u0001 日本 ", 2_000)) + "😀";

        Assert.Equal(text, WireRoundTrip(text));
    }

    // the surrogate comes as a number: xunit would turn a lone surrogate in a string into U+FFFD
    [Theory]
    [InlineData("a", 0xD800, "b")]
    [InlineData("", 0xD800, "")]
    [InlineData("😀", 0xD83D, "")]
    [InlineData("", 0xDC00, "😀")]
    [InlineData("\"", 0xDE00, "\"")]
    public void LoneSurrogateIsWrittenAsReplacementCharacter(string before, int surrogate, string after)
    {
        var text = before + (char)surrogate + after;

        Assert.Equal(before + "\uFFFD" + after, WireRoundTrip(text));
    }

    [Fact]
    public void DictionaryKeysAreEscapedOnlyAsJsonRequires()
    {
        var hello = new HelloFrame { User = "bob", Resume = new() { ["a\"b"] = 1, ["#café😀"] = 2 } };

        var json = FrameCodec.ToJson(hello);
        var read = Assert.IsType<HelloFrame>(Read(json).Frame);

        Assert.Equal("""{"type":"hello","user":"bob","resume":{"a\"b":1,"#café😀":2}}""", json);
        Assert.Equal(hello.Resume, read.Resume);
    }

    [Fact]
    public void TimestampIsWrittenInUtcToTheMillisecond()
    {
        // 10:00:01.2509999 at +01:00 is 09:00:01.250 UTC; the sub-millisecond part is dropped, not rounded
        var ts = new DateTimeOffset(2026, 11, 24, 10, 0, 1, 250, TimeSpan.FromHours(1)).AddTicks(9_999);

        var json = FrameCodec.ToJson(new AckFrame { Id = "a1", Seq = 1, Ts = ts });

        Assert.Equal("""{"type":"ack","id":"a1","seq":1,"ts":"2026-11-24T09:00:01.250Z"}""", json);
    }

    [Fact]
    public void TimestampWithAnOffsetIsReadAsUtc()
    {
        var frame = FrameCodec.ReadServerFrame("""{"type":"ack","id":"a1","seq":1,"ts":"2026-11-24T10:00:01.250+01:00"}"""u8);

        var ack = Assert.IsType<AckFrame>(frame);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 0, 1, 250, TimeSpan.Zero), ack.Ts);
        Assert.Equal(TimeSpan.Zero, ack.Ts.Offset);
    }

    [Theory]
    [InlineData("""{"type":"typing","user":"bob"}""")]
    [InlineData("""{"type":"send","id":"a1","to":"#x","text":"hi"}""")]
    [InlineData("""{"type":1,"seq":2}""")]
    [InlineData("""{"seq":2}""")]
    [InlineData("""{}""")]
    public void UnknownServerFrameTypeIsNull(string json)
    {
        Assert.Null(FrameCodec.ReadServerFrame(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void ServerFrameWithTypeNotFirstAndUnknownFieldsIsRead()
    {
        var frame = FrameCodec.ReadServerFrame("""{"id":"a1","shard":{"n":[1,2]},"seq":5,"type":"ack","ts":"2026-11-24T09:00:01.250Z"}"""u8);

        var ack = Assert.IsType<AckFrame>(frame);
        Assert.Equal(("a1", 5L), (ack.Id, ack.Seq));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("\"ack\"")]
    [InlineData("""{"type":"ack","seq":"one","ts":"2026-11-24T09:00:01.250Z"}""")]
    [InlineData("""{"type":"ack","seq":1,"ts":"yesterday"}""")]
    [InlineData("{\"type\":\"pong\"")]
    public void MalformedServerFrameThrows(string json)
    {
        Assert.ThrowsAny<JsonException>(() => FrameCodec.ReadServerFrame(Encoding.UTF8.GetBytes(json)));
    }

    private static ClientFrameReadResult Read(string json) =>
        FrameCodec.ReadClientFrame(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)));

    /// <summary>Checks a refusal: its code, the id it carries back, and the field or type its message names.</summary>
    private static void AssertRefused(ClientFrameReadResult result, string code, string? id, string named)
    {
        Assert.Equal(code, result.ErrorCode);
        Assert.Null(result.Frame);
        Assert.Equal(id, result.Id);
        Assert.Contains($"\"{named}\"", result.ErrorMessage, StringComparison.Ordinal);
    }

    private static T ReadOk<T>(string json) where T : ClientFrame
    {
        var result = Read(json);
        Assert.Null(result.ErrorCode);
        Assert.Null(result.ErrorMessage);
        var frame = Assert.IsType<T>(result.Frame);
        Assert.Equal(frame.Id, result.Id);
        return frame;
    }

    /// <summary>Writes a text in a frame each way there is, checks the bytes are the same valid JSON, reads it back.</summary>
    private static string WireRoundTrip(string text)
    {
        var frame = new MessageFrame { Seq = 1, To = "#x", From = "bob", Text = text };
        var bytes = FrameCodec.ToBytes(frame);

        Assert.Equal(bytes, Written(frame));
        Assert.Equal(FrameCodec.ToJson(frame), StrictUtf8.GetString(bytes));
        Assert.DoesNotContain(bytes, b => b < 0x20);
        using var document = JsonDocument.Parse(bytes);
        var read = Assert.IsType<MessageFrame>(FrameCodec.ReadServerFrame(bytes));
        Assert.Equal(document.RootElement.GetProperty("text").GetString(), read.Text);
        return read.Text;
    }

    private static byte[] Written(object frame)
    {
        var output = new ArrayBufferWriter<byte>();
        FrameCodec.Write(output, frame);
        return output.WrittenSpan.ToArray();
    }
}
