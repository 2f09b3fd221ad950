using Parley.Protocol.Frames;
using Parley.Testing;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>A browser user and a plain TCP client are on one server and one protocol.</summary>
public sealed class BrowserAndTcpTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_browser_user_and_a_tcp_client_talk_both_ways_in_a_room_and_directly()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.HelloAsync(Transport.Tcp, "bob");
        await using var context = await browser.NewUserAsync();
        var alice = await ChatPage.SignInAsync(context, server.Http, "alice");
        await bob.WaitForAsync(f => f.Type() == "presence" && f.GetProperty("user").GetString() == "alice");

        await alice.SendAsync("hello from the browser");
        var atBob = (await bob.WaitForAsync(f => f.Type() == "message")).Match;
        Assert.Equal(("alice", "#lobby", "hello from the browser"),
            (atBob.GetProperty("from").GetString(), atBob.GetProperty("to").GetString(), atBob.GetProperty("text").GetString()));
        await Expect(alice.Message("hello from the browser")).ToHaveAttributeAsync("data-seq", "1");

        await bob.AssertAckedAsync("b1", "#lobby", "hello from the terminal");
        await Expect(alice.Message("hello from the terminal")).ToHaveAttributeAsync("data-seq", "2");

        await bob.AssertAckedAsync("b2", "alice", "psst, just you");
        await Expect(alice.Conversation("bob").Locator(".unread")).ToHaveTextAsync("1");
        await alice.Conversation("bob").ClickAsync();
        await Expect(alice.Message("psst, just you")).ToHaveCountAsync(1);
        await Expect(alice.Conversation("bob").Locator(".unread")).ToHaveCountAsync(0);

        await alice.SendAsync("got it");
        var direct = (await bob.WaitForAsync(f => f.Type() == "message")).Match;
        Assert.Equal(("alice", "bob", "got it"),
            (direct.GetProperty("from").GetString(), direct.GetProperty("to").GetString(), direct.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task A_room_joined_from_the_page_shows_its_members_and_can_be_left_again()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.HelloAsync(Transport.Tcp, "bob");
        await bob.SendAsync(new JoinFrame { Id = "j", Room = "#design" });
        await bob.ReplyAsync("j");
        await using var context = await browser.NewUserAsync();
        var alice = await ChatPage.SignInAsync(context, server.Http, "alice");

        await alice.Page.GetByLabel("Join or create a room").FillAsync("Design");
        await alice.Page.GetByLabel("Join or create a room").PressAsync("Enter");
        await Expect(alice.Page.Locator("#conversation-title")).ToHaveTextAsync("#design");
        await Expect(alice.Page.Locator("#member-list .member")).ToHaveCountAsync(2);
        await bob.WaitForAsync(f => f.Type() == "presence" && f.Str("room") == "#design" && f.Str("event") == "join");

        await alice.Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Leave" }).ClickAsync();
        await Expect(alice.Conversation("#design")).ToHaveCountAsync(0);
        await bob.WaitForAsync(f => f.Type() == "presence" && f.Str("room") == "#design" && f.Str("event") == "leave");
    }
}
