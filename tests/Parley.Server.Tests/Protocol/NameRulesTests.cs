using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Protocol;

/// <summary>
/// Names that cannot impersonate, texts that cannot hide: every example of issue 17 on the wire, over
/// both transports, on one server and on the cluster.
/// </summary>
public abstract class NameRulesTests(Transport transport, ServerFactory? servers = null)
{
    /// <summary>Starts the server under test: one in-process server unless a subclass gives another factory.</summary>
    protected Task<IServerUnderTest> StartServerAsync(IDictionary<string, string>? settings = null) =>
        (servers ?? ServerFactories.InProcess)(settings);

    [Fact]
    public async Task NamesThatImpersonateARegisteredAdminAreRefused()
    {
        await using var server = await StartServerAsync();
        await using (var admin = await server.HelloAsync(transport, "admin"))
        {
            await admin.SendAsync(new RegisterFrame { Id = "r", Password = "correct horse" });
            Assert.True((await admin.ReplyAsync("r")).Is("registered"));
            await admin.SendAsync(new QuitFrame());
            await admin.ClosedAsync();
        }

        await using var client = await server.ConnectAsync(transport);
        foreach (var (name, code) in new[]
        {
            ("аdmin", "invalid_username"), // Cyrillic а among Latin letters
            ("rοot", "invalid_username"), // Greek ο
            ("𝐚𝐝𝐦𝐢𝐧", "invalid_username"), // mathematical bold: a compatibility character
            ("adminㅤ", "invalid_username"), // an invisible Hangul filler
            ("ㅤ", "invalid_username"),
            ("ａｄｍｉｎ", "auth_failed"), // full width maps to admin itself, which needs its password
            ("ADMIN", "auth_failed"),
            ("adm1n", "username_taken"), // looks like admin
        })
        {
            await client.SendAsync(new HelloFrame { Id = name, User = name });
            var reply = await client.ReplyAsync(name);
            Assert.True(reply.Is("error") && reply.Str("code") == code, $"{name}: {reply.GetRawText()}");
        }
    }

    [Fact]
    public async Task ANameThatLooksLikeOneOnlineIsTaken()
    {
        await using var server = await StartServerAsync();
        await using var bob = await server.HelloAsync(transport, "bob");

        await using var client = await server.ConnectAsync(transport);
        foreach (var lookalike in new[] { "b0b", "BOB", "Bob" })
        {
            await client.SendAsync(new HelloFrame { Id = lookalike, User = lookalike });
            (await client.ReplyAsync(lookalike)).AssertError("username_taken", lookalike);
        }
    }

    [Theory]
    [InlineData("கி")] // Tamil, with a combining vowel sign
    [InlineData("क्ष")] // Devanagari conjunct with a virama
    [InlineData("田中さん")] // Han and Hiragana: one Japanese name
    [InlineData("Straße")]
    public async Task NamesOfAnyScriptWithTheirMarksAreWelcome(string name)
    {
        await using var server = await StartServerAsync();
        await using var client = await server.ConnectAsync(transport);

        await client.SendAsync(new HelloFrame { Id = "h", User = name });

        var welcome = await client.ReplyAsync("h");
        Assert.True(welcome.Is("welcome"), welcome.GetRawText());
        Assert.Equal(name, welcome.Str("user"));
    }

    [Fact]
    public async Task RoomsThatHideOrLookLikeAnotherAreRefusedAndWidthFormsAreTheSameRoom()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");

        await alice.SendAsync(new JoinFrame { Id = "filler", Room = "#lobbyㅤ" });
        (await alice.ReplyAsync("filler")).AssertError("invalid_room", "filler");
        await alice.SendAsync(new JoinFrame { Id = "lookalike", Room = "#l0bby" });
        var lookalike = await alice.ReplyAsync("lookalike");
        lookalike.AssertError("invalid_room", "lookalike");
        Assert.Contains("#lobby", lookalike.Str("message"), StringComparison.Ordinal);
        await alice.SendAsync(new JoinFrame { Id = "wide", Room = "#ｌｏｂｂｙ" });
        Assert.Equal("#lobby", (await alice.ReplyAsync("wide")).Str("room"));

        // a room of its own, created once, refuses its lookalikes too
        await alice.SendAsync(new JoinFrame { Id = "rust", Room = "#rust" });
        Assert.Equal("#rust", (await alice.ReplyAsync("rust")).Str("room"));
        await using var bob = await server.HelloAsync(transport, "bob");
        await bob.SendAsync(new JoinFrame { Id = "rn", Room = "#RUST" });
        Assert.Equal("#rust", (await bob.ReplyAsync("rn")).Str("room"));
        await bob.SendAsync(new JoinFrame { Id = "m", Room = "#mst" });
        Assert.Equal("#mst", (await bob.ReplyAsync("m")).Str("room"));
        await bob.SendAsync(new JoinFrame { Id = "rnst", Room = "#rnst" });
        (await bob.ReplyAsync("rnst")).AssertError("invalid_room", "rnst");
    }

    [Theory]
    [InlineData("\u200B")] // zero-width space
    [InlineData("\u3164")] // Hangul filler
    [InlineData("\u2800")] // braille blank
    [InlineData(" \u200B\u200D\u2060 ")]
    public async Task ATextOfOnlyInvisibleCharactersIsEmpty(string text)
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");

        await alice.SendAsync(new SendFrame { Id = "s", To = "#lobby", Text = text });

        (await alice.ReplyAsync("s")).AssertError("empty_text", "s");
    }
}

public sealed class TcpNameRulesTests() : NameRulesTests(Transport.Tcp);

public sealed class WebSocketNameRulesTests() : NameRulesTests(Transport.WebSocket);
