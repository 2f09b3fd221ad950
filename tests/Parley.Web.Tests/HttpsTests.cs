using Parley.Protocol.Frames;
using Parley.Testing;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>The browser client served over HTTPS, its WebSocket over wss://, with the test's self-signed certificate.</summary>
public sealed class HttpsTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_browser_user_signs_in_over_https_and_chats_with_a_client_over_tls()
    {
        await using var server = await TestServer.StartTlsAsync();
        await using var bob = await server.HelloAsync(Transport.Tcp, "bob");
        await using var context = await browser.NewUserAsync(ignoreHttpsErrors: true);
        var sockets = new List<string>();
        context.Page += (_, page) => page.WebSocket += (_, socket) => sockets.Add(socket.Url);

        var alice = await ChatPage.SignInAsync(context, server.WebUri, "alice");
        await bob.WaitForAsync(f => f.Type() == "presence" && f.Str("user") == "alice");

        await alice.SendAsync("hello over https");
        var atBob = (await bob.WaitForAsync(f => f.Type() == "message")).Match;
        Assert.Equal(("alice", "hello over https"), (atBob.Str("from"), atBob.Str("text")));
        await bob.SendAsync(new SendFrame { Id = "b1", To = "#lobby", Text = "and back over TLS" });
        await Expect(alice.Message("and back over TLS")).ToHaveAttributeAsync("data-seq", "2");
        // the page built its WebSocket's address from its own: wss:// on an https:// page
        Assert.All(sockets, url => Assert.StartsWith($"wss://{server.Http}/ws", url, StringComparison.Ordinal));
        Assert.NotEmpty(sockets);
    }
}
