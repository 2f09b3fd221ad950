using Microsoft.Playwright;
using Parley.Protocol.Frames;
using Parley.Testing;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>
/// The page signs in again with its identity token: a token the server no longer knows makes the
/// page a new guest that is told so.
/// </summary>
public sealed class SessionTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string NewGuestNotice = "You were signed out: the server no longer knew this session. You are a new guest; "
        + "earlier direct messages are not yours any more. Register to keep them.";

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
                await bob.SendAsync(new SendFrame { Id = "b1", To = "alice", Text = "before the restart" });
                await bob.ReplyAsync("b1");
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
}
