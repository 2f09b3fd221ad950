using Microsoft.Playwright;
using Parley.Protocol.Frames;
using Parley.Testing;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>A real conversation, photographed for the README: wide (light) and phone-sized (dark).</summary>
public sealed class ScreenshotTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_user_joins_a_room_starts_a_direct_message_and_the_page_is_photographed_wide_and_narrow()
    {
        await using var server = await TestServer.StartAsync();
        await using var carol = await server.HelloAsync(Transport.Tcp, "carol");
        await using var aliceContext = await browser.NewUserAsync(1280, 800, ColorScheme.Light);
        await using var bobContext = await browser.NewUserAsync(390, 844, ColorScheme.Dark);
        var alice = await ChatPage.SignInAsync(aliceContext, server.Http, "alice");
        var bob = await ChatPage.SignInAsync(bobContext, server.Http, "bob");

        await alice.SendAsync("Morning all! Standup in 10 minutes.");
        await Expect(bob.Message("Morning all! Standup in 10 minutes.")).ToHaveCountAsync(1);
        await bob.SendAsync("On my way.");
        await bob.SendAsync("I'll bring the release notes:\nhttps://example.invalid/notes");
        await carol.AssertAckedAsync("c1", "#lobby", "Running 2 minutes late, start without me.");
        await Expect(alice.Message("Running 2 minutes late, start without me.")).ToHaveCountAsync(1);
        await alice.SendAsync("No problem. Agenda: the <script> bug and the new browser client.");

        // a room created from the page, and a direct message started from it
        await alice.Page.GetByLabel("Join or create a room").FillAsync("design");
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Join", Exact = true }).ClickAsync();
        await Expect(alice.Page.Locator("#conversation-title")).ToHaveTextAsync("#design");
        await alice.SendAsync("Mock-ups for the sign-in screen are up.");
        await alice.Conversation("#lobby").ClickAsync();
        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "Chats" }).ClickAsync();
        await bob.Page.GetByLabel("Message a person").FillAsync("alice");
        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "Start", Exact = true }).ClickAsync();
        await Expect(bob.Page.Locator("#conversation-title")).ToHaveTextAsync("alice");
        await bob.SendAsync("Can you review my PR after standup?");
        await Expect(alice.Conversation("bob").Locator(".unread")).ToHaveTextAsync("1");
        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "Chats" }).ClickAsync();
        await bob.Conversation("#lobby").ClickAsync();
        await Expect(bob.Page.Locator("#conversations")).ToBeHiddenAsync();

        await Expect(alice.Page.Locator("#member-list .member[data-online=true]")).ToHaveCountAsync(3);
        await Expect(alice.Message("No problem. Agenda: the <script> bug and the new browser client.")).ToHaveAttributeAsync("data-state", "delivered");
        Directory.CreateDirectory(RepositoryPaths.Screenshots);
        await alice.Page.ScreenshotAsync(new() { Path = Path.Combine(RepositoryPaths.Screenshots, "wide.png") });
        await bob.Page.ScreenshotAsync(new() { Path = Path.Combine(RepositoryPaths.Screenshots, "narrow.png") });
    }
}
