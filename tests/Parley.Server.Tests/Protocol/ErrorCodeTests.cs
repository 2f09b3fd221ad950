using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Testing;
using static Parley.Server.Tests.Protocol.RefusalAssertions;

namespace Parley.Server.Tests.Protocol;

/// <summary>
/// Every error code of protocol v1 that a client can provoke with a well-formed frame, each with the
/// connection behaviour the error table states. Run over both transports.
/// </summary>
public abstract class ErrorCodeTests(Transport transport, ServerFactory? servers = null)
{
    /// <summary>Starts the server under test: one in-process server unless a subclass gives another factory.</summary>
    protected Task<IServerUnderTest> StartServerAsync(IDictionary<string, string>? settings = null) =>
        (servers ?? ServerFactories.InProcess)(settings);

    private const string Password = "correct-horse";

    // ---- unknown_type, missing_field, invalid_field ----

    [Fact]
    public async Task AnUnknownTypeIsRefusedWithTheFramesIdAndTheConnectionStaysOpen()
    {
        await AssertRefusedAfterHelloAsync(servers, transport, """{"type":"dance","id":"u1","with":"bob"}""", ErrorCodes.UnknownType, "u1");
    }

    public static TheoryData<string, string?> FramesMissingAField => new()
    {
        // without an id there is no id to carry back
        { """{"type":"send","to":"#lobby","text":"hi"}""", null },
        { """{"type":"send","id":"m1","text":"hi"}""", "m1" },
        { """{"type":"send","id":"m2","to":"#lobby"}""", "m2" },
        { """{"type":"join","id":"m3"}""", "m3" },
        { """{"type":"join"}""", null },
        { """{"type":"leave","id":"m4"}""", "m4" },
        { """{"type":"history","id":"m5","limit":5}""", "m5" },
        { """{"type":"who","id":"m6"}""", "m6" },
        { """{"type":"register","id":"m7"}""", "m7" },
    };

    [Theory]
    [MemberData(nameof(FramesMissingAField))]
    public async Task AFrameWithoutARequiredFieldIsMissingFieldAndTheConnectionStaysOpen(string json, string? id)
    {
        await AssertRefusedAfterHelloAsync(servers, transport, json, ErrorCodes.MissingField, id);
    }

    public static TheoryData<string, string?> FramesWithAnInvalidField => new()
    {
        { """{"type":"send","id":"f1","to":"#lobby","text":42}""", "f1" },
        { """{"type":"send","id":"f2","to":["#lobby"],"text":"hi"}""", "f2" },
        { """{"type":"send","id":"f3","to":"#lobby","text":"ring \u0007 ring"}""", "f3" },
        { """{"type":"send","id":"f4","to":"#lobby","text":"nul \u0000"}""", "f4" },
        { """{"type":"send","id":"f5","to":"#lobby","text":"half \ud800 a pair"}""", "f5" },
        { """{"type":"send","id":"f6","to":"#lobby","text":"\udc00"}""", "f6" },
        { """{"type":"join","id":"f7","room":7}""", "f7" },
        { """{"type":"history","id":"f8","to":"#lobby","limit":0}""", "f8" },
        { """{"type":"history","id":"f9","to":"#lobby","limit":-3}""", "f9" },
        { """{"type":"history","id":"f10","to":"#lobby","limit":"ten"}""", "f10" },
        { """{"type":"history","id":"f11","to":"#lobby","before":"5"}""", "f11" },
        { """{"type":"history","id":"f12","to":"#lobby","after":1.5}""", "f12" },
        { """{"type":"register","id":"f13","password":12345678}""", "f13" },
        { """{"type":"history","id":"f14","to":"#lobby","before":-1}""", "f14" },
        { """{"type":"history","id":"f15","to":"#lobby","after":-2}""", "f15" },
        // a "to" that is neither a room (#name) nor a username
        { """{"type":"send","id":"f16","to":"not a name!","text":"hi"}""", "f16" },
        { """{"type":"history","id":"f17","to":"","limit":5}""", "f17" },
        // an id that is not a valid id cannot be carried back
        { $$"""{"type":"ping","id":"{{new string('i', 65)}}"}""", null },
        { $$"""{"type":"ping","id":"{{string.Concat(Enumerable.Repeat("\U0001F600", 65))}}"}""", null },
        { """{"type":"ping","id":""}""", null },
        { """{"type":"ping","id":17}""", null },
    };

    [Theory]
    [MemberData(nameof(FramesWithAnInvalidField))]
    public async Task AFieldOfTheWrongKindIsInvalidFieldAndTheConnectionStaysOpen(string json, string? id)
    {
        await AssertRefusedAfterHelloAsync(servers, transport, json, ErrorCodes.InvalidField, id);
    }

    [Theory]
    [InlineData("i")]
    [InlineData("\U0001F600")] // a character is a code point: an emoji is one, not two UTF-16 units
    public async Task AnIdOfSixtyFourCharactersIsCarriedBack(string character)
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        var id = string.Concat(Enumerable.Repeat(character, 64));
        await alice.SendAsync(new PingFrame { Id = id });
        await alice.AssertPongAsync(id);
    }

    // ---- hello: refused, and the same connection may say hello again ----

    public static TheoryData<string, string> RefusedHellos => new()
    {
        { """{"type":"hello","id":"h1"}""", ErrorCodes.MissingField },
        { """{"type":"hello","id":"h1","user":42}""", ErrorCodes.InvalidField },
        { """{"type":"hello","id":"h1","user":""}""", ErrorCodes.InvalidUsername },
        { $$"""{"type":"hello","id":"h1","user":"{{new string('a', 33)}}"}""", ErrorCodes.InvalidUsername },
        { """{"type":"hello","id":"h1","user":"_alice"}""", ErrorCodes.InvalidUsername },
        { """{"type":"hello","id":"h1","user":"-alice"}""", ErrorCodes.InvalidUsername },
        { """{"type":"hello","id":"h1","user":"al ice"}""", ErrorCodes.InvalidUsername },
        { """{"type":"hello","id":"h1","user":"#alice"}""", ErrorCodes.InvalidUsername },
        { """{"type":"hello","id":"h1","user":"alice","resume":{"#lobby":-1}}""", ErrorCodes.InvalidField },
        { """{"type":"hello","id":"h1","user":"alice","resume":{"#lobby":"3"}}""", ErrorCodes.InvalidField },
        { """{"type":"hello","id":"h1","user":"alice","resume":{"#lobby":2.5}}""", ErrorCodes.InvalidField },
        { """{"type":"hello","id":"h1","user":"alice","resume":["#lobby"]}""", ErrorCodes.InvalidField },
        { """{"type":"hello","id":"h1","user":"alice","resume":{"# bad":0}}""", ErrorCodes.InvalidField },
        { """{"type":"hello","id":"h1","user":"alice","resume":{"#":0}}""", ErrorCodes.InvalidField },
        { """{"type":"hello","id":"h1","user":"alice","resume":{"not a name":0}}""", ErrorCodes.InvalidField },
    };

    [Theory]
    [MemberData(nameof(RefusedHellos))]
    public async Task ARefusedHelloLeavesTheConnectionOpenForAnotherHello(string json, string code)
    {
        await using var server = await StartServerAsync();
        await using var client = await server.ConnectAsync(transport);
        await client.AssertAnsweredWithErrorAsync(json, code, "h1");
        await client.AssertWelcomedAsync("alice");
        await client.AssertStaysOpenAsync();
    }

    [Theory]
    [InlineData("""{"type":"send","id":"n1","to":"#lobby","text":"hi"}""", "n1")]
    [InlineData("""{"type":"join","id":"n2","room":"#tea"}""", "n2")]
    [InlineData("""{"type":"leave","id":"n3","room":"#lobby"}""", "n3")]
    [InlineData("""{"type":"history","id":"n4","to":"#lobby"}""", "n4")]
    [InlineData("""{"type":"who","id":"n5","room":"#lobby"}""", "n5")]
    [InlineData("""{"type":"rooms","id":"n6"}""", "n6")]
    [InlineData("""{"type":"register","id":"n7","password":"correct-horse"}""", "n7")]
    [InlineData("""{"type":"ping","id":"n8"}""", "n8")]
    [InlineData("""{"type":"ping"}""", null)]
    [InlineData("""{"type":"quit","id":"n9"}""", "n9")]
    // before hello that is the answer even to a frame with another fault: it is a frame, and not hello
    [InlineData("""{"type":"dance","id":"n10"}""", "n10")]
    [InlineData("""{"type":"send","to":"#lobby","text":"hi"}""", null)]
    [InlineData("""{"type":"join","id":"n11"}""", "n11")]
    [InlineData("""{"type":"join","id":"n12","room":7}""", "n12")]
    [InlineData("""{"type":"ping","id":17}""", null)]
    public async Task AFrameBeforeHelloIsNotAuthenticatedAndHelloStillWorks(string json, string? id)
    {
        await using var server = await StartServerAsync();
        await using var client = await server.ConnectAsync(transport);
        await client.AssertAnsweredWithErrorAsync(json, ErrorCodes.NotAuthenticated, id);
        await client.AssertWelcomedAsync("alice");
        await client.AssertStaysOpenAsync();
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("bob")]
    public async Task ASecondHelloIsAlreadyAuthenticatedAndTheSessionIsUnchanged(string user)
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        await alice.AssertRefusedAsync(new HelloFrame { Id = "again", User = user }, ErrorCodes.AlreadyAuthenticated);
        var who = await alice.AssertAnsweredAsync(new WhoRequestFrame { Id = "who", Room = "#lobby" }, "who");
        Assert.Equal(["alice"], who.Strings("users"));
    }

    [Theory]
    [InlineData("alice", "Alice")]
    [InlineData("alice", "ALICE")]
    [InlineData("Jos\u00e9", "Jose\u0301")]
    [InlineData("Jose\u0301", "jos\u00e9")]
    [InlineData("\u00e9lodie", "\u00c9LODIE")]
    [InlineData("\u039f\u0394\u039f\u03a3", "\u03bf\u03b4\u03bf\u03c2")] // ΟΔΟΣ and οδος: final sigma is a lowercase Σ
    public async Task ANameHeldByAnotherConnectionIsUsernameTakenAfterCaseFoldingAndNfc(string holder, string claimant)
    {
        await using var server = await StartServerAsync();
        await using var first = await server.HelloAsync(transport, holder);
        await using var second = await server.ConnectAsync(transport);
        await second.AssertAnsweredWithErrorAsync(new HelloFrame { Id = "t1", User = claimant }, ErrorCodes.UsernameTaken);
        await second.AssertWelcomedAsync("bob");
        await second.AssertStaysOpenAsync();
    }

    // ---- accounts: auth_failed, weak_password, already_registered ----

    [Fact]
    public async Task AHelloForAnOnlineRegisteredNameWithAMissingOrWrongPasswordIsAuthFailedNotUsernameTaken()
    {
        await using var server = await StartServerAsync();
        await using var alice = await RegisteredAsync(server, "alice");
        await using var mallory = await server.ConnectAsync(transport);
        await mallory.AssertAnsweredWithErrorAsync(new HelloFrame { Id = "a1", User = "alice" }, ErrorCodes.AuthFailed);
        await mallory.AssertAnsweredWithErrorAsync(new HelloFrame { Id = "a2", User = "ALICE", Password = "wrong-horse" }, ErrorCodes.AuthFailed);
        await mallory.AssertWelcomedAsync("mallory");
        await mallory.AssertStaysOpenAsync();
        await alice.AssertStaysOpenAsync();
    }

    [Fact]
    public async Task AHelloForAnOfflineRegisteredNameIsAuthFailedUntilThePasswordIsRight()
    {
        await using var server = await StartServerAsync();
        await using var watcher = await server.HelloAsync(transport, "watcher");
        await RegisterAndLeaveAsync(server, watcher, "alice");
        await using var client = await server.ConnectAsync(transport);
        await client.AssertAnsweredWithErrorAsync(new HelloFrame { Id = "a1", User = "alice" }, ErrorCodes.AuthFailed);
        await client.AssertAnsweredWithErrorAsync(new HelloFrame { Id = "a2", User = "alice", Password = "wrong-horse" }, ErrorCodes.AuthFailed);
        await client.AssertWelcomedAsync("alice", Password);
        await client.AssertStaysOpenAsync();
    }

    [Theory]
    [InlineData("alice", "1234567")]
    [InlineData("alice", "")]
    [InlineData("alice12345", "alice12345")]
    [InlineData("alice12345", "ALICE12345")]
    public async Task AShortPasswordOrTheNameItselfIsWeakPassword(string user, string password)
    {
        await AssertRefusedAfterHelloAsync(servers, transport, new RegisterFrame { Id = "w1", Password = password }, ErrorCodes.WeakPassword, user: user);
    }

    [Theory]
    [InlineData("password1")]
    [InlineData("Qwertyuiop")]
    [InlineData("iloveyou1")]
    [InlineData("superman123")]
    public async Task APasswordAmongTheMostCommonIsWeakPassword(string password)
    {
        await AssertRefusedAfterHelloAsync(servers, transport, new RegisterFrame { Id = "c1", Password = password }, ErrorCodes.WeakPassword);
    }

    [Fact]
    public async Task RegisteringTwiceIsAlreadyRegistered()
    {
        await using var server = await StartServerAsync();
        await using var alice = await RegisteredAsync(server, "alice");
        await alice.AssertRefusedAsync(new RegisterFrame { Id = "r2", Password = "another-horse" }, ErrorCodes.AlreadyRegistered);
    }

    [Fact]
    public async Task RegisteringAfterHelloAsARegisteredNameIsAlreadyRegistered()
    {
        await using var server = await StartServerAsync();
        await using var watcher = await server.HelloAsync(transport, "watcher");
        await RegisterAndLeaveAsync(server, watcher, "alice");
        await using var alice = await server.ConnectAsync(transport);
        await alice.AssertWelcomedAsync("alice", Password);
        await alice.AssertRefusedAsync(new RegisterFrame { Id = "r2", Password = "another-horse" }, ErrorCodes.AlreadyRegistered);
    }

    // ---- rooms and recipients: invalid_room, not_in_room, no_such_user ----

    public static TheoryData<string> BadRoomRequests => new()
    {
        """{"type":"join","id":"r","room":"lobby"}""",
        """{"type":"join","id":"r","room":"#"}""",
        """{"type":"join","id":"r","room":"# bad"}""",
        """{"type":"join","id":"r","room":""}""",
        """{"type":"join","id":"r","room":"##lobby"}""",
        """{"type":"join","id":"r","room":"#_lobby"}""",
        $$"""{"type":"join","id":"r","room":"#{{new string('a', 33)}}"}""",
        """{"type":"leave","id":"r","room":"lobby"}""",
        """{"type":"who","id":"r","room":"#"}""",
        """{"type":"send","id":"r","to":"#","text":"hi"}""",
        """{"type":"send","id":"r","to":"# bad","text":"hi"}""",
        """{"type":"history","id":"r","to":"#"}""",
    };

    [Theory]
    [MemberData(nameof(BadRoomRequests))]
    public async Task ARoomNameThatBreaksTheRulesIsInvalidRoomAndTheConnectionStaysOpen(string json)
    {
        await AssertRefusedAfterHelloAsync(servers, transport, json, ErrorCodes.InvalidRoom, "r");
    }

    [Fact]
    public async Task ARoomNameOfThirtyTwoCharactersCanBeJoined()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        var room = "#" + new string('a', 32);
        var joined = await alice.AssertAnsweredAsync(new JoinFrame { Id = "j", Room = room }, "joined");
        Assert.Equal(room, joined.Str("room"));
    }

    [Fact]
    public async Task SendingToARoomNotJoinedIsNotInRoomAndNothingIsStored()
    {
        await using var server = await StartServerAsync();
        await using var bob = await server.HelloAsync(transport, "bob");
        await bob.AssertAnsweredAsync(new JoinFrame { Id = "j", Room = "#tea" }, "joined");
        await using var alice = await server.HelloAsync(transport, "alice");

        await alice.AssertRefusedAsync(new SendFrame { Id = "s1", To = "#tea", Text = "let me in" }, ErrorCodes.NotInRoom);
        await alice.AssertRefusedAsync(new SendFrame { Id = "s2", To = "#empty", Text = "anyone?" }, ErrorCodes.NotInRoom);

        var history = await bob.AssertAnsweredAsync(new HistoryRequestFrame { Id = "h", To = "#tea" }, "history");
        Assert.Equal(0, history.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task SendingToTheLobbyAfterLeavingItIsNotInRoom()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        await alice.AssertAnsweredAsync(new LeaveFrame { Id = "l", Room = "#lobby" }, "left");
        await alice.AssertRefusedAsync(new SendFrame { Id = "s1", To = "#lobby", Text = "hello?" }, ErrorCodes.NotInRoom);
    }

    [Theory]
    [InlineData("#tea")]
    [InlineData("#lobby")]
    public async Task LeavingARoomNotJoinedIsNotInRoom(string room)
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        if (room == ProtocolLimits.Lobby)
        {
            await alice.AssertAnsweredAsync(new LeaveFrame { Id = "first", Room = room }, "left");
        }
        await alice.AssertRefusedAsync(new LeaveFrame { Id = "l1", Room = room }, ErrorCodes.NotInRoom);
    }

    [Fact]
    public async Task ADirectMessageToANameNeverSeenIsNoSuchUser()
    {
        await AssertRefusedAfterHelloAsync(servers, transport, new SendFrame { Id = "d1", To = "nobody", Text = "hi" }, ErrorCodes.NoSuchUser);
    }

    // ---- texts: empty_text, text_too_long ----

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\n\t")]
    [InlineData("\u00a0\u3000\u2003")]
    public async Task AWhitespaceOnlyTextIsEmptyText(string text)
    {
        await AssertRefusedAfterHelloAsync(servers, transport, new SendFrame { Id = "e1", To = "#lobby", Text = text }, ErrorCodes.EmptyText);
    }

    [Theory]
    [InlineData("ascii")]
    [InlineData("emoji")]
    [InlineData("expanding")]
    public async Task ATextOfFourThousandAndOneCharactersIsTextTooLong(string kind)
    {
        await AssertRefusedAfterHelloAsync(servers, transport, new SendFrame { Id = "t1", To = "#lobby", Text = Text(kind, 4_001) }, ErrorCodes.TextTooLong);
    }

    [Theory]
    [InlineData("ascii")]
    [InlineData("emoji")]
    [InlineData("decomposed")]
    [InlineData("expanding")]
    public async Task ATextOfFourThousandCharactersIsAccepted(string kind)
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        await alice.AssertAckedAsync("t1", "#lobby", Text(kind, 4_000));
    }

    /// <summary>A text of <paramref name="characters"/> code points after NFC.</summary>
    private static string Text(string kind, int characters) => kind switch
    {
        "ascii" => new string('a', characters),
        "emoji" => string.Concat(Enumerable.Repeat("\U0001F600", characters)),
        // one code point more before NFC: e + combining acute compose into one é
        "decomposed" => "e\u0301" + new string('a', characters - 1),
        // half as many code points before NFC: U+0958 is excluded from composition and becomes two
        "expanding" => string.Concat(Enumerable.Repeat("\u0958", characters / 2)) + (characters % 2 == 1 ? "a" : ""),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    // ---- flow control: rate_limited ----

    [Fact]
    public async Task SendingPastTheBurstIsRateLimitedAndARefusedMessageIsNeitherDeliveredNorStored()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        await using var bob = await server.HelloAsync(transport, "bob");
        await using var carol = await server.HelloAsync(transport, "carol");

        // default flow control: 20 a second, bursts of 40; 100 sends at once outrun it on any machine
        const int sends = 100;
        for (var i = 0; i < sends; i++)
        {
            await alice.SendAsync(new SendFrame { Id = $"r{i}", To = "#lobby", Text = $"r{i}" });
        }
        var acked = new SortedDictionary<long, string>();
        var limited = new List<string>();
        var answered = new HashSet<string>();
        while (answered.Count < sends)
        {
            var reply = await alice.NextReplyAsync();
            Assert.True(answered.Add(reply.Id()!), $"a second reply to {reply.GetRawText()}");
            if (reply.Is("ack"))
            {
                acked.Add(reply.Num("seq"), reply.Id()!);
                continue;
            }
            reply.AssertErrorFor(ErrorCodes.RateLimited, reply.Id());
            // the wait for one token at 20 a second, rounded up
            Assert.InRange(reply.Num("retryAfterMs"), 1, 50);
            limited.Add(reply.Id()!);
        }
        Assert.InRange(acked.Count, 40, sends - 1);
        Assert.NotEmpty(limited);
        Assert.Equal(Enumerable.Range(1, acked.Count).Select(i => (long)i), acked.Keys);

        // carol's message comes after every one of alice's in the lobby's order
        await carol.AssertAckedAsync("c1", "#lobby", "carol was here");
        var (_, before) = await bob.WaitForAsync(f => f.Is("message") && f.Str("from") == "carol");
        var delivered = before.Where(f => f.Is("message")).Select(f => f.Str("text")).ToList();
        Assert.Equal(acked.Values, delivered);

        var history = await alice.AssertAnsweredAsync(new HistoryRequestFrame { Id = "h", To = "#lobby", Limit = 500 }, "history");
        var stored = history.GetProperty("messages").EnumerateArray()
            .Where(m => m.Str("from") == "alice").Select(m => m.Str("text")).ToList();
        Assert.Equal(acked.Values, stored);
        await alice.AssertStaysOpenAsync();
    }

    [Fact]
    public async Task OnlySendsThatPassValidationSpendAFlowControlToken()
    {
        await using var server = await StartServerAsync(SlowFlowControl);
        await using var alice = await server.HelloAsync(transport, "alice");
        for (var i = 0; i < 10; i++)
        {
            await alice.AssertRefusedAsync(new SendFrame { Id = $"e{i}", To = "#lobby", Text = " " }, ErrorCodes.EmptyText);
        }
        for (var i = 0; i < 3; i++)
        {
            await alice.AssertAckedAsync($"ok{i}", "#lobby", $"message {i}");
        }
        var limited = await alice.AssertRefusedAsync(new SendFrame { Id = "over", To = "#lobby", Text = "one too many" }, ErrorCodes.RateLimited);
        Assert.True(limited.Num("retryAfterMs") > 0);
    }

    [Fact]
    public async Task ARepeatedIdGetsItsOriginalAckEvenWhileRateLimited()
    {
        await using var server = await StartServerAsync(SlowFlowControl);
        await using var alice = await server.HelloAsync(transport, "alice");
        var seqs = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            seqs.Add(await alice.AssertAckedAsync($"ok{i}", "#lobby", $"message {i}"));
        }
        await alice.AssertRefusedAsync(new SendFrame { Id = "over", To = "#lobby", Text = "one too many" }, ErrorCodes.RateLimited);
        Assert.Equal(seqs[1], await alice.AssertAckedAsync("ok1", "#lobby", "message 1"));
    }

    /// <summary>A burst of 3 and a rate so slow that no token comes back during a test.</summary>
    private static Dictionary<string, string> SlowFlowControl => new()
    {
        ["Parley:SendBurst"] = "3",
        ["Parley:SendsPerSecond"] = "0.001",
    };

    // ---- helpers ----

    /// <summary>Connects as <paramref name="user"/> and registers the name with <see cref="Password"/>.</summary>
    private async Task<RawClient> RegisteredAsync(IServerUnderTest server, string user)
    {
        var client = await server.HelloAsync(transport, user);
        await client.AssertAnsweredAsync(new RegisterFrame { Id = "register", Password = Password }, "registered");
        return client;
    }

    /// <summary>Registers a name, quits, and returns once <paramref name="watcher"/> saw it go (the name is then free).</summary>
    private async Task RegisterAndLeaveAsync(IServerUnderTest server, RawClient watcher, string user)
    {
        await using (var client = await RegisteredAsync(server, user))
        {
            await client.SendAsync(new QuitFrame());
            await client.ClosedAsync();
        }
        await watcher.WaitForAsync(f => f.Is("presence") && f.Str("user") == user && f.Str("event") == "quit");
    }
}

public sealed class TcpErrorCodeTests() : ErrorCodeTests(Transport.Tcp);

public sealed class WebSocketErrorCodeTests() : ErrorCodeTests(Transport.WebSocket);
