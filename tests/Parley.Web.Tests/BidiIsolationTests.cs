using Microsoft.Playwright;
using Parley.Protocol.Frames;
using Parley.Testing;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>
/// Every name and text is shown isolated (<c>bdi</c>, <c>dir="auto"</c>): a right-to-left override in
/// a text, or a right-to-left name, reorders nothing around it.
/// </summary>
public sealed class BidiIsolationTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    // U+202E RIGHT-TO-LEFT OVERRIDE: the rest of its paragraph is drawn backwards, "fdp.exe" as "exe.pdf"
    private const string SpoofedFileName = "see invoice_\u202Efdp.exe";
    private const string ArabicName = "علي";

    [Fact]
    public async Task A_right_to_left_override_in_a_message_stays_inside_the_messages_text()
    {
        await using var server = await TestServer.StartAsync();
        await using var mallory = await server.HelloAsync(Transport.Tcp, "mallory");
        await using var context = await browser.NewUserAsync();
        var alice = await ChatPage.SignInAsync(context, server.Http, "alice");

        await mallory.SendAsync(new SendFrame { Id = "m1", To = "#lobby", Text = SpoofedFileName });

        var message = alice.Message(SpoofedFileName);
        await Expect(message).ToHaveCountAsync(1);
        var text = message.Locator(".text");
        await Expect(text).ToHaveAttributeAsync("dir", "auto");
        await Expect(text).ToHaveCSSAsync("unicode-bidi", "isolate");
        // the override's paragraph holds the text alone: the time is beside it, not in it
        await Expect(message.Locator(".text time, .text .meta")).ToHaveCountAsync(0);
        await Expect(message.Locator(":scope > .meta > time.msg-time")).ToHaveCountAsync(1);
        var group = alice.Page.Locator("#messages .group")
            .Filter(new() { Has = alice.Page.Locator(".text").GetByText(SpoofedFileName, new() { Exact = true }) });
        var sender = group.Locator(":scope > .group-header > .sender");
        await Expect(sender).ToHaveTextAsync("mallory");
        Assert.Equal("BDI", await sender.EvaluateAsync<string>("e => e.tagName"));

        // and on screen, left to right: the sender, then its time; the text, then its time
        var senderBox = await BoxAsync(sender);
        var headerTimeBox = await BoxAsync(group.Locator(":scope > .group-header > time.group-time"));
        var textBox = await BoxAsync(text);
        var messageTimeBox = await BoxAsync(message.Locator("time.msg-time"));
        Assert.True(senderBox.X + senderBox.Width <= headerTimeBox.X, "The sender's name comes before its time.");
        Assert.True(textBox.X + textBox.Width <= messageTimeBox.X, "The text comes before its time.");
    }

    [Fact]
    public async Task A_right_to_left_name_is_isolated_wherever_it_is_shown()
    {
        await using var server = await TestServer.StartAsync();
        await using var ali = await server.HelloAsync(Transport.Tcp, ArabicName);
        await using var context = await browser.NewUserAsync();
        var alice = await ChatPage.SignInAsync(context, server.Http, "alice");

        await ali.SendAsync(new SendFrame { Id = "r1", To = "#lobby", Text = "مرحبا 123" });
        await ali.SendAsync(new SendFrame { Id = "d1", To = "alice", Text = "سلام" });

        var inLobby = alice.Page.Locator("#messages .group-header > bdi.sender").GetByText(ArabicName, new() { Exact = true });
        await Expect(inLobby).ToHaveCountAsync(1);
        var member = alice.Page.Locator("#member-list bdi.member-name").GetByText(ArabicName, new() { Exact = true });
        await Expect(member).ToHaveCountAsync(1);
        var conversation = alice.Page.Locator("#dm-list bdi.conversation-name").GetByText(ArabicName, new() { Exact = true });
        await Expect(conversation).ToHaveCountAsync(1);
        await Expect(alice.Page.Locator("bdi#self-name")).ToHaveTextAsync("alice");

        await alice.Conversation(ArabicName).ClickAsync();
        var title = alice.Page.Locator("#conversation-title > bdi");
        await Expect(title).ToHaveTextAsync(ArabicName);
        await Expect(alice.Composer).ToHaveAttributeAsync("placeholder", $"Message \u2068{ArabicName}\u2069");
        // asked again until it holds: a list drawn anew meanwhile (presence, the conversation opened) must not
        // leave the question to a node already taken out of the page, whose computed style is empty
        foreach (var shown in new[] { inLobby, member, conversation, title })
        {
            await Expect(shown).ToHaveCSSAsync("unicode-bidi", "isolate");
        }
    }

    private static async Task<LocatorBoundingBoxResult> BoxAsync(ILocator element) =>
        await element.BoundingBoxAsync() ?? throw new Xunit.Sdk.XunitException("An element that should be on screen is not.");
}
