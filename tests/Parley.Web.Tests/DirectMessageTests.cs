using Parley.Protocol.Frames;
using Parley.Testing;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>
/// Direct conversations belong to a person, not to a name: those that came while the page was away
/// show at once with their unread counts, and one with a new person under a name starts again.
/// </summary>
public sealed class DirectMessageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_direct_message_sent_to_a_registered_user_while_she_was_away_shows_unread_when_she_signs_in()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.HelloAsync(Transport.Tcp, "bob");
        await using (var owner = await server.HelloAsync(Transport.Tcp, "carol"))
        {
            await owner.AssertAnsweredAsync(new RegisterFrame { Id = "r", Password = "correct horse" }, "registered");
            await owner.AssertAckedAsync("c1", "bob", "ping me when you are in");
            await owner.SendAsync(new QuitFrame());
            await owner.ClosedAsync();
        }
        await bob.AssertAckedAsync("b1", "carol", "I am in");
        await bob.AssertAckedAsync("b2", "carol", "are you?");
        await using var context = await browser.NewUserAsync();

        var carol = await ChatPage.SignInAsync(context, server.Http, "carol", "correct horse");

        // two of bob's, not her own one before them
        await Expect(carol.Conversation("bob").Locator(".unread")).ToHaveTextAsync("2");
        await carol.Conversation("bob").ClickAsync();
        await Expect(carol.Messages).ToHaveCountAsync(3);
        await Expect(carol.Message("I am in")).ToHaveCountAsync(1);
        await Expect(carol.Message("are you?")).ToHaveCountAsync(1);
        await Expect(carol.Conversation("bob").Locator(".unread")).ToHaveCountAsync(0);
        await bob.AssertAckedAsync("b3", "carol", "there you are");
        await Expect(carol.Message("there you are")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_new_person_under_a_name_who_wrote_while_the_page_was_away_starts_the_conversation_again()
    {
        await using var server = await TestServer.StartAsync();
        await using var context = await browser.NewUserAsync();
        var alice = await ChatPage.SignInAsync(context, server.Http, "alice");
        await using (var firstBob = await server.HelloAsync(Transport.Tcp, "bob"))
        {
            await firstBob.AssertAckedAsync("b1", "alice", "from the first bob");
            await firstBob.AssertAckedAsync("b2", "alice", "twice");
            await Expect(alice.Conversation("bob").Locator(".unread")).ToHaveTextAsync("2");
            await alice.Page.GotoAsync($"http://{server.Http}/healthz");
            // the first bob's guest identity ends with quit: the name is free for someone else
            await firstBob.SendAsync(new QuitFrame());
            await firstBob.ClosedAsync();
        }
        await using var secondBob = await server.HelloAsync(Transport.Tcp, "bob");
        await secondBob.AssertAckedAsync("n1", "alice", "a different bob");

        await alice.Page.GotoAsync($"http://{server.Http}/");

        // the page had seen bob's conversation up to 2; the welcome says 1: this is someone new
        await alice.ExpectOnlineAsync();
        await Expect(alice.Conversation("bob").Locator(".unread")).ToHaveTextAsync("1");
        await alice.Conversation("bob").ClickAsync();
        await Expect(alice.Message("a different bob")).ToHaveCountAsync(1);
        await Expect(alice.Messages).ToHaveCountAsync(1);
        await secondBob.AssertAckedAsync("n2", "alice", "and again");
        await Expect(alice.Message("and again")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_new_person_under_a_name_who_writes_while_the_page_is_open_starts_the_conversation_again()
    {
        await using var server = await TestServer.StartAsync();
        await using var context = await browser.NewUserAsync();
        var alice = await ChatPage.SignInAsync(context, server.Http, "alice");
        await using (var firstBob = await server.HelloAsync(Transport.Tcp, "bob"))
        {
            await firstBob.AssertAckedAsync("b1", "alice", "from the first bob");
            await firstBob.AssertAckedAsync("b2", "alice", "twice");
            await alice.Conversation("bob").ClickAsync();
            await Expect(alice.Messages).ToHaveCountAsync(2);
            await firstBob.SendAsync(new QuitFrame());
            await firstBob.ClosedAsync();
        }
        await using var secondBob = await server.HelloAsync(Transport.Tcp, "bob");

        // its seq is 1: at or below what the page has seen of bob, yet not a message it has
        await secondBob.AssertAckedAsync("n1", "alice", "a different bob");

        await Expect(alice.Message("a different bob")).ToHaveCountAsync(1);
        await Expect(alice.Messages).ToHaveCountAsync(1);
        await Expect(alice.Message("a different bob")).ToHaveAttributeAsync("data-seq", "1");
    }
}
