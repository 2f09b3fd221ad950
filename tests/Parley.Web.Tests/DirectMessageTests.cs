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
            await owner.SendAsync(new RegisterFrame { Id = "r", Password = "correct horse" });
            Assert.Equal("registered", (await owner.ReplyAsync("r")).Type());
            await owner.SendAsync(new SendFrame { Id = "c1", To = "bob", Text = "ping me when you are in" });
            Assert.Equal("ack", (await owner.ReplyAsync("c1")).Type());
            await owner.SendAsync(new QuitFrame());
            await owner.ClosedAsync();
        }
        await bob.SendAsync(new SendFrame { Id = "b1", To = "carol", Text = "I am in" });
        await bob.ReplyAsync("b1");
        await bob.SendAsync(new SendFrame { Id = "b2", To = "carol", Text = "are you?" });
        await bob.ReplyAsync("b2");
        await using var context = await browser.NewUserAsync();

        var carol = await ChatPage.SignInAsync(context, server.Http, "carol", "correct horse");

        // two of bob's, not her own one before them
        await Expect(carol.Conversation("bob").Locator(".unread")).ToHaveTextAsync("2");
        await carol.Conversation("bob").ClickAsync();
        await Expect(carol.Messages).ToHaveCountAsync(3);
        await Expect(carol.Message("I am in")).ToHaveCountAsync(1);
        await Expect(carol.Message("are you?")).ToHaveCountAsync(1);
        await Expect(carol.Conversation("bob").Locator(".unread")).ToHaveCountAsync(0);
        await bob.SendAsync(new SendFrame { Id = "b3", To = "carol", Text = "there you are" });
        await bob.ReplyAsync("b3");
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
            await firstBob.SendAsync(new SendFrame { Id = "b1", To = "alice", Text = "from the first bob" });
            await firstBob.ReplyAsync("b1");
            await firstBob.SendAsync(new SendFrame { Id = "b2", To = "alice", Text = "twice" });
            await firstBob.ReplyAsync("b2");
            await Expect(alice.Conversation("bob").Locator(".unread")).ToHaveTextAsync("2");
            await alice.Page.GotoAsync($"http://{server.Http}/healthz");
            // the first bob's guest identity ends with quit: the name is free for someone else
            await firstBob.SendAsync(new QuitFrame());
            await firstBob.ClosedAsync();
        }
        await using var secondBob = await server.HelloAsync(Transport.Tcp, "bob");
        await secondBob.SendAsync(new SendFrame { Id = "n1", To = "alice", Text = "a different bob" });
        Assert.Equal("ack", (await secondBob.ReplyAsync("n1")).Type());

        await alice.Page.GotoAsync($"http://{server.Http}/");

        // the page had seen bob's conversation up to 2; the welcome says 1: this is someone new
        await alice.ExpectOnlineAsync();
        await Expect(alice.Conversation("bob").Locator(".unread")).ToHaveTextAsync("1");
        await alice.Conversation("bob").ClickAsync();
        await Expect(alice.Message("a different bob")).ToHaveCountAsync(1);
        await Expect(alice.Messages).ToHaveCountAsync(1);
        await secondBob.SendAsync(new SendFrame { Id = "n2", To = "alice", Text = "and again" });
        await secondBob.ReplyAsync("n2");
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
            await firstBob.SendAsync(new SendFrame { Id = "b1", To = "alice", Text = "from the first bob" });
            await firstBob.ReplyAsync("b1");
            await firstBob.SendAsync(new SendFrame { Id = "b2", To = "alice", Text = "twice" });
            await firstBob.ReplyAsync("b2");
            await alice.Conversation("bob").ClickAsync();
            await Expect(alice.Messages).ToHaveCountAsync(2);
            await firstBob.SendAsync(new QuitFrame());
            await firstBob.ClosedAsync();
        }
        await using var secondBob = await server.HelloAsync(Transport.Tcp, "bob");

        // its seq is 1: at or below what the page has seen of bob, yet not a message it has
        await secondBob.SendAsync(new SendFrame { Id = "n1", To = "alice", Text = "a different bob" });
        await secondBob.ReplyAsync("n1");

        await Expect(alice.Message("a different bob")).ToHaveCountAsync(1);
        await Expect(alice.Messages).ToHaveCountAsync(1);
        await Expect(alice.Message("a different bob")).ToHaveAttributeAsync("data-seq", "1");
    }
}
