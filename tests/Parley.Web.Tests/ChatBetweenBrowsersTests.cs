using System.Text.Json;
using Microsoft.Playwright;
using Parley.Testing;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>Two people in two browsers, talking through a real server.</summary>
public sealed class ChatBetweenBrowsersTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Two_browser_users_chat_and_each_sees_the_others_message_with_its_local_time()
    {
        await using var server = await TestServer.StartAsync();
        await using var aliceContext = await browser.NewUserAsync();
        await using var bobContext = await browser.NewUserAsync();
        var alice = await ChatPage.SignInAsync(aliceContext, server.Http, "alice");
        var bob = await ChatPage.SignInAsync(bobContext, server.Http, "bob");

        await Expect(alice.Page.Locator("#member-list [data-member=bob][data-online=true]")).ToBeVisibleAsync();
        await alice.SendAsync("Hi bob, lunch at noon?");
        var atBob = bob.Message("Hi bob, lunch at noon?");
        await Expect(atBob).ToHaveCountAsync(1);
        var group = bob.Page.Locator("#messages .group").Filter(new() { Has = bob.Page.Locator(".text").GetByText("Hi bob, lunch at noon?", new() { Exact = true }) });
        await Expect(group.Locator(".sender")).ToHaveTextAsync("alice");
        var sent = await ChatPage.ShownTimeAsync(atBob);
        Assert.InRange(sent, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));

        await bob.Composer.FillAsync("Sure.");
        await bob.Composer.PressAsync("Shift+Enter");
        await bob.Composer.PressSequentiallyAsync("See you there.");
        await Expect(bob.Composer).ToHaveValueAsync("Sure.\nSee you there.");
        await bob.Composer.PressAsync("Enter");
        await Expect(bob.Composer).ToHaveValueAsync("");
        var atAlice = alice.Message("Sure.\nSee you there.");
        await Expect(atAlice).ToHaveCountAsync(1);
        var replied = await ChatPage.ShownTimeAsync(atAlice);
        Assert.True(replied >= sent, "The reply is timed after the question.");
        await Expect(alice.Page.Locator("#messages .day-separator")).ToHaveTextAsync("Today");

        await bob.Page.CloseAsync();
        await Expect(alice.Page.Locator("#member-list [data-member=bob]")).ToHaveCountAsync(0);
        await Expect(alice.Page.Locator("#members-heading")).ToHaveTextAsync("Members (1)");
    }

    [Fact]
    public async Task Every_control_has_a_label_and_signing_in_and_sending_work_from_the_keyboard_alone()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.HelloAsync(Transport.Tcp, "bob");
        await using var context = await browser.NewUserAsync();
        var alice = await ChatPage.OpenAsync(context, server.Http);

        await alice.Page.Keyboard.TypeAsync("alice");
        await alice.Page.Keyboard.PressAsync("Enter");
        await Expect(alice.Page.Locator("#chat")).ToBeVisibleAsync();
        await Expect(alice.Composer).ToBeFocusedAsync();
        await alice.Page.Keyboard.TypeAsync("typed, not clicked");
        await alice.Page.Keyboard.PressAsync("Enter");
        var received = (await bob.WaitForAsync(f => f.Type() == "message")).Match;
        Assert.Equal("typed, not clicked", received.Str("text"));

        var unlabelled = await alice.Page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('input, textarea, button')]
              .filter(control => control.type === 'submit' || control.tagName === 'BUTTON'
                ? control.textContent.trim() === '' && !control.getAttribute('aria-label')
                : !document.querySelector(`label[for="${control.id}"]`))
              .map(control => control.outerHTML)
            """);
        Assert.Empty(unlabelled);
    }

    [Fact]
    public async Task The_senders_message_shows_pending_until_its_ack_then_delivered_with_the_servers_time()
    {
        await using var server = await TestServer.StartAsync();
        await using var context = await browser.NewUserAsync();
        var heldAcks = new AckGate();
        var alice = await ChatPage.SignInAsync(context, server.Http, "alice", route: heldAcks.Route);

        heldAcks.Hold();
        await alice.SendAsync("Is this thing on?");
        var mine = alice.Message("Is this thing on?");
        await Expect(mine).ToHaveAttributeAsync("data-state", "pending");
        await Expect(mine.Locator(".msg-status")).ToHaveTextAsync("Sending…");

        var ack = await heldAcks.ReleaseAsync();
        await Expect(mine).ToHaveAttributeAsync("data-state", "delivered");
        var serverTime = DateTimeOffset.Parse(ack.GetProperty("ts").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        await Expect(mine.Locator(".msg-status")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex($"^Delivered {ChatPage.LocalClock(serverTime)}:\\d\\d$"));
        await Expect(mine).ToHaveAttributeAsync("data-seq", ack.GetProperty("seq").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_refused_message_shows_the_servers_reason_and_a_retry_that_does_not_duplicate_it()
    {
        await using var server = await TestServer.StartAsync();
        await using var context = await browser.NewUserAsync();
        var alice = await ChatPage.SignInAsync(context, server.Http, "alice");

        var tooLong = new string('a', 4001);
        await alice.SendAsync(tooLong);
        var refused = alice.Message(tooLong);
        await Expect(refused).ToHaveAttributeAsync("data-state", "failed");
        await Expect(refused.Locator(".refusal")).ToHaveTextAsync("Not sent: A text may be at most 4000 characters.");

        await refused.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await alice.SendAsync("a shorter one");
        await Expect(alice.Message("a shorter one")).ToHaveAttributeAsync("data-state", "delivered");
        await Expect(refused).ToHaveCountAsync(1);
        await Expect(refused).ToHaveAttributeAsync("data-state", "failed");
    }

    /// <summary>Sits between the page and the server and, while told to, keeps acks back.</summary>
    private sealed class AckGate
    {
        private readonly Lock _lock = new();
        private readonly TaskCompletionSource<string> _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private IWebSocketRoute? _page;
        private bool _holding;

        public void Route(IWebSocketRoute page)
        {
            _page = page;
            var server = page.ConnectToServer();
            page.OnMessage(frame => server.Send(frame.Text ?? ""));
            server.OnMessage(frame =>
            {
                var text = frame.Text ?? "";
                lock (_lock)
                {
                    if (_holding && text.Contains("\"type\":\"ack\"", StringComparison.Ordinal))
                    {
                        _held.TrySetResult(text);
                        return;
                    }
                }
                page.Send(text);
            });
        }

        public void Hold()
        {
            lock (_lock)
            {
                _holding = true;
            }
        }

        /// <summary>Passes the held ack on to the page and returns it.</summary>
        public async Task<JsonElement> ReleaseAsync()
        {
            var ack = await _held.Task.WaitAsync(Waits.Frame);
            lock (_lock)
            {
                _holding = false;
            }
            _page!.Send(ack);
            return JsonDocument.Parse(ack).RootElement.Clone();
        }
    }
}
