using Microsoft.Playwright;
using Parley.Protocol.Frames;
using Parley.Testing;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>
/// The page keeps its identity token (never a password): a reload comes back signed in where it was,
/// sign out forgets it, a second tab takes the session over, and a token the server no longer knows
/// makes the page a new guest that is told so.
/// </summary>
public sealed class SessionTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string NewGuestNotice = "You were signed out: the server no longer knew this session. You are a new guest; "
        + "earlier direct messages are not yours any more. Register to keep them.";

    [Fact]
    public async Task A_reload_keeps_the_user_signed_in_with_its_rooms_conversations_and_unread_counts()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.HelloAsync(Transport.Tcp, "bob");
        await using var context = await browser.NewUserAsync();
        var alice = await ChatPage.SignInAsync(context, server.Http, "alice");
        await alice.Page.GetByLabel("Join or create a room").FillAsync("dev");
        await alice.Page.GetByLabel("Join or create a room").PressAsync("Enter");
        await Expect(alice.Page.Locator("#conversation-title")).ToHaveTextAsync("#dev");
        await bob.AssertAckedAsync("b1", "alice", "hi alice");
        await alice.Conversation("bob").ClickAsync();
        await Expect(alice.Message("hi alice")).ToHaveCountAsync(1);
        await alice.SendAsync("hi bob");
        await bob.WaitForAsync(f => f.Type() == "message" && f.Str("text") == "hi bob");
        await bob.AssertAckedAsync("b2", "#lobby", "unread in the lobby");
        await Expect(alice.Conversation("#lobby").Locator(".unread")).ToHaveTextAsync("1");

        await alice.Page.ReloadAsync();

        await Expect(alice.Page.Locator("#chat")).ToBeVisibleAsync();
        await Expect(alice.Page.Locator("#sign-in")).ToBeHiddenAsync();
        await alice.ExpectOnlineAsync();
        await Expect(alice.Page.Locator("#self-name")).ToHaveTextAsync("alice");
        await Expect(alice.Conversation("#dev")).ToHaveCountAsync(1);
        await Expect(alice.Page.Locator("#conversation-title")).ToHaveTextAsync("bob");
        await Expect(alice.Conversation("#lobby").Locator(".unread")).ToHaveTextAsync("1");
        // the same person as before the reload: the direct conversation is hers, each message once
        await Expect(alice.Message("hi alice")).ToHaveCountAsync(1);
        await Expect(alice.Message("hi bob")).ToHaveCountAsync(1);

        await bob.AssertAckedAsync("b3", "alice", "back already?");
        await Expect(alice.Message("back already?")).ToHaveCountAsync(1);
        await Expect(alice.Messages).ToHaveCountAsync(3);
        await alice.Conversation("#lobby").ClickAsync();
        await Expect(alice.Message("unread in the lobby")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Sign_out_frees_the_name_and_forgets_the_session_so_a_reload_shows_the_sign_in_page()
    {
        await using var server = await TestServer.StartAsync();
        await using var context = await browser.NewUserAsync();
        var alice = await ChatPage.SignInAsync(context, server.Http, "alice");

        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(alice.Page.Locator("#sign-in")).ToBeVisibleAsync();
        await Expect(alice.Page.Locator("#chat")).ToBeHiddenAsync();
        // logout, then quit: the guest's identity ended with it, so the name is free at once
        await using (var next = await server.HelloAsync(Transport.Tcp, "alice"))
        {
            await next.SendAsync(new QuitFrame());
            await next.ClosedAsync();
        }
        await alice.Page.ReloadAsync();
        await Expect(alice.SignInForm).ToBeVisibleAsync();
        await Expect(alice.Page.Locator("#chat")).ToBeHiddenAsync();
        Assert.Null(await alice.Page.EvaluateAsync<string?>("() => localStorage.getItem('parley.session')"));
    }

    [Fact]
    public async Task A_second_tab_takes_the_session_over_and_use_here_takes_it_back()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.HelloAsync(Transport.Tcp, "bob");
        await using var context = await browser.NewUserAsync();
        var first = await ChatPage.SignInAsync(context, server.Http, "alice");
        await first.ExpectOnlineAsync();

        var second = await ChatPage.OpenAsync(context, server.Http);

        await second.ExpectOnlineAsync();
        await Expect(second.Page.Locator("#self-name")).ToHaveTextAsync("alice");
        await Expect(first.Page.Locator("#banner-text")).ToHaveTextAsync("Signed in from another tab or device");
        await bob.AssertAckedAsync("b1", "#lobby", "which tab?");
        await Expect(second.Message("which tab?")).ToHaveCountAsync(1);
        // the first tab does not take the name back by itself
        await Expect(first.Banner).ToHaveAttributeAsync("data-status", "taken-over");

        await first.Banner.GetByRole(AriaRole.Button, new() { Name = "Use here" }).ClickAsync();

        await first.ExpectOnlineAsync();
        await Expect(second.Banner).ToContainTextAsync("Signed in from another tab or device");
        await Expect(first.Message("which tab?")).ToHaveCountAsync(1);
        await bob.AssertAckedAsync("b2", "#lobby", "the first one again");
        await Expect(first.Message("the first one again")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task After_a_server_restart_the_page_is_a_new_guest_without_the_earlier_direct_messages_and_says_so()
    {
        var directory = Path.Combine(Path.GetTempPath(), "parley-web-new-guest-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = await TestServer.StartAsync(directory: directory);
            // the page's WebSocket address is where it was served from: the restarted server takes the same port
            var samePort = new Dictionary<string, string> { ["Parley:Http"] = first.Http.ToString() };
            await using var context = await browser.NewUserAsync();
            var alice = await ChatPage.SignInAsync(context, first.Http, "alice");
            await using (var bob = await first.HelloAsync(Transport.Tcp, "bob"))
            {
                await bob.AssertAckedAsync("b1", "alice", "before the restart");
                await Expect(alice.Conversation("bob").Locator(".unread")).ToHaveTextAsync("1");
                await first.DisposeAsync();
            }
            await Expect(alice.Banner).ToContainTextAsync("Connection lost");

            await using var second = await TestServer.StartAsync(samePort, directory);

            await Expect(alice.Page.Locator("#notice-text")).ToHaveTextAsync(NewGuestNotice, new() { Timeout = (float)Waits.Long.TotalMilliseconds });
            await alice.ExpectOnlineAsync();
            await Expect(alice.Page.Locator("#self-name")).ToHaveTextAsync("alice");
            await Expect(alice.Conversation("bob")).ToHaveCountAsync(0);
            await Expect(alice.Conversation("#lobby")).ToHaveCountAsync(1);
            await Expect(alice.Page.GetByRole(AriaRole.Button, new() { Name = "Protect this name with a password" })).ToBeVisibleAsync();

            // the new guest's token is the one kept: a reload is the same new guest, told nothing more
            await alice.Page.ReloadAsync();
            await alice.ExpectOnlineAsync();
            await Expect(alice.Page.Locator("#self-name")).ToHaveTextAsync("alice");
            await Expect(alice.Page.Locator("#notice")).ToBeHiddenAsync();
            await using var watcher = await second.HelloAsync(Transport.Tcp, "carol");
            await alice.SendAsync("still here");
            await watcher.WaitForAsync(f => f.Type() == "message" && f.Str("from") == "alice" && f.Str("text") == "still here");
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // a file still open; the temp directory is cleaned by the system
            }
        }
    }

    [Fact]
    public async Task A_reload_with_a_token_the_server_does_not_know_signs_in_as_a_new_guest_and_says_so()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.HelloAsync(Transport.Tcp, "bob");
        await using var carol = await server.HelloAsync(Transport.Tcp, "carol");
        await using var context = await browser.NewUserAsync();
        var alice = await ChatPage.SignInAsync(context, server.Http, "alice");
        await bob.AssertAckedAsync("b1", "alice", "for the first alice");
        await Expect(alice.Conversation("bob")).ToHaveCountAsync(1);
        // a conversation in which only she has written yet
        await alice.Page.GetByLabel("Message a person").FillAsync("carol");
        await alice.Page.GetByLabel("Message a person").PressAsync("Enter");
        await alice.SendAsync("from the first alice");
        await carol.WaitForAsync(f => f.Type() == "message" && f.Str("text") == "from the first alice");
        // once alice's page is gone and her guest identity has ended, the name is free for a new guest
        await alice.Page.GotoAsync($"http://{server.Http}/healthz");
        await using (var holder = await server.ConnectAsync(Transport.Tcp))
        {
            // her token takes the name back from the page that left, then quit ends that identity
            var token = await alice.Page.EvaluateAsync<string>("() => JSON.parse(localStorage.getItem('parley.session')).token");
            await holder.SendAsync(new HelloFrame { User = "alice", Token = token });
            Assert.Equal("welcome", (await holder.NextAsync()).Type());
            await holder.SendAsync(new QuitFrame());
            await holder.ClosedAsync();
        }

        await alice.Page.GotoAsync($"http://{server.Http}/");

        await Expect(alice.Page.Locator("#notice-text")).ToHaveTextAsync(NewGuestNotice);
        await alice.ExpectOnlineAsync();
        await Expect(alice.Page.Locator("#self-name")).ToHaveTextAsync("alice");
        await Expect(alice.Conversation("bob")).ToHaveCountAsync(0);
        await Expect(alice.Conversation("carol")).ToHaveCountAsync(0);
        await bob.AssertAckedAsync("b2", "alice", "for whoever is alice now");
        await Expect(alice.Conversation("bob").Locator(".unread")).ToHaveTextAsync("1");
        await alice.Conversation("bob").ClickAsync();
        await Expect(alice.Message("for whoever is alice now")).ToHaveCountAsync(1);
        await Expect(alice.Messages).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_reload_with_an_accounts_refused_token_shows_the_sign_in_page_with_the_reason()
    {
        await using var server = await TestServer.StartAsync();
        await using (var owner = await server.HelloAsync(Transport.Tcp, "carol"))
        {
            await owner.AssertAnsweredAsync(new RegisterFrame { Id = "r", Password = "correct horse" }, "registered");
            await owner.SendAsync(new QuitFrame());
            await owner.ClosedAsync();
        }
        await using var watcher = await server.HelloAsync(Transport.Tcp, "dave");
        await using var context = await browser.NewUserAsync();
        var carol = await ChatPage.SignInAsync(context, server.Http, "carol", "correct horse");

        await carol.ReopenWithStoredTokenAsync(server.Http, "a token this server never gave");
        // the page that went away has left: an account's name is free again when its last session ends
        await watcher.WaitForAsync(f => f.Type() == "presence" && f.Str("user") == "carol" && f.Str("event") == "quit");

        await Expect(carol.SignInForm).ToBeVisibleAsync();
        await Expect(carol.Page.Locator("#sign-in-error")).ToHaveTextAsync("This sign-in of carol is no longer valid. Sign in with the password.");
        await Expect(carol.SignInForm.GetByLabel("Username")).ToHaveValueAsync("carol");
        await carol.SubmitSignInAsync("carol", "correct horse");
        await carol.ExpectOnlineAsync();
        await Expect(carol.Page.Locator("#self-name")).ToHaveTextAsync("carol");
    }
}
