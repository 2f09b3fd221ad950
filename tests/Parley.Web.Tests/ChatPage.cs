using System.Globalization;
using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>The browser client as a user sees it: what to click and where to look.</summary>
public sealed class ChatPage(IPage page)
{
    /// <summary>The browser's locale (24-hour times).</summary>
    public const string Locale = "en-GB";

    /// <summary>The browser's time zone: not UTC, so "local time" is really checked.</summary>
    public const string TimeZone = "Asia/Kolkata";

    /// <summary>The page.</summary>
    public IPage Page { get; } = page;

    /// <summary>
    /// Opens the client the server serves and signs in; returns once the lobby is on screen.
    /// A <paramref name="route"/> sees the page's WebSocket connections first.
    /// </summary>
    public static Task<ChatPage> SignInAsync(IBrowserContext context, IPEndPoint http, string user, string? password = null,
        Action<IWebSocketRoute>? route = null) => SignInAsync(context, new Uri($"http://{http}/"), user, password, route);

    /// <summary>As the other overload, at <paramref name="address"/> (<c>https://…</c> for a server with TLS).</summary>
    public static async Task<ChatPage> SignInAsync(IBrowserContext context, Uri address, string user, string? password = null,
        Action<IWebSocketRoute>? route = null)
    {
        var chat = await OpenAsync(context, address, route);
        await chat.SubmitSignInAsync(user, password);
        await Expect(chat.Page.Locator("#chat")).ToBeVisibleAsync();
        await Expect(chat.Page.Locator("#conversation-title")).ToHaveTextAsync("#lobby");
        return chat;
    }

    /// <summary>Opens the client at the server's address, on the sign-in screen.</summary>
    public static Task<ChatPage> OpenAsync(IBrowserContext context, IPEndPoint http, Action<IWebSocketRoute>? route = null) =>
        OpenAsync(context, new Uri($"http://{http}/"), route);

    /// <summary>Opens the client at <paramref name="address"/>, on the sign-in screen.</summary>
    public static async Task<ChatPage> OpenAsync(IBrowserContext context, Uri address, Action<IWebSocketRoute>? route = null)
    {
        var page = await context.NewPageAsync();
        if (route is not null)
        {
            await page.RouteWebSocketAsync("**/ws", route);
        }
        await page.GotoAsync(address.ToString());
        return new ChatPage(page);
    }

    /// <summary>The sign-in form (the page's other forms have password fields too).</summary>
    public ILocator SignInForm => Page.Locator("#sign-in-form");

    /// <summary>The form that creates an account, on the sign-in page behind its "Create an account" button.</summary>
    public ILocator CreateAccountForm => Page.Locator("#create-account-form");

    /// <summary>Fills in the sign-in form and submits it.</summary>
    public async Task SubmitSignInAsync(string user, string? password = null)
    {
        await SignInForm.GetByLabel("Username").FillAsync(user);
        if (password is not null)
        {
            await SignInForm.GetByLabel("Password").FillAsync(password);
        }
        await SignInForm.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Fills in the form that creates an account (the password, then its repetition) and submits it.</summary>
    public async Task SubmitCreateAccountAsync(string user, string password, string again)
    {
        await CreateAccountForm.GetByLabel("Name").FillAsync(user);
        await CreateAccountForm.GetByLabel("Choose a password").FillAsync(password);
        await CreateAccountForm.GetByLabel("Repeat the password").FillAsync(again);
        await CreateAccountForm.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
    }

    /// <summary>Waits until the page is signed in and connected (the connection banner's state says so).</summary>
    public Task ExpectOnlineAsync() => Expect(Banner).ToHaveAttributeAsync("data-status", "online");

    /// <summary>
    /// Replaces the identity token the page keeps in localStorage, then opens the client again: as if the
    /// server had forgotten the token. The page is first taken elsewhere on the same origin, since the
    /// client writes what it keeps when it goes away.
    /// </summary>
    public async Task ReopenWithStoredTokenAsync(IPEndPoint http, string token)
    {
        await Page.GotoAsync($"http://{http}/healthz");
        var replaced = await Page.EvaluateAsync<bool>("""
            token => {
              const session = JSON.parse(localStorage.getItem('parley.session'));
              if (session === null) return false;
              session.token = token;
              localStorage.setItem('parley.session', JSON.stringify(session));
              return true;
            }
            """, token);
        Assert.True(replaced, "The page kept no session to change.");
        await Page.GotoAsync($"http://{http}/");
    }

    /// <summary>The message box.</summary>
    public ILocator Composer => Page.GetByRole(AriaRole.Textbox, new() { Name = "Message", Exact = true });

    /// <summary>Types a message and presses Enter.</summary>
    public async Task SendAsync(string text)
    {
        await Composer.FillAsync(text);
        await Composer.PressAsync("Enter");
    }

    /// <summary>Every message row on screen.</summary>
    public ILocator Messages => Page.Locator("#messages .message");

    /// <summary>The message rows whose text is exactly <paramref name="text"/>.</summary>
    public ILocator Message(string text) =>
        Messages.Filter(new() { Has = Page.Locator(".text").GetByText(text, new() { Exact = true }) });

    /// <summary>The connection banner.</summary>
    public ILocator Banner => Page.Locator("#banner");

    /// <summary>The conversation button in the left column.</summary>
    public ILocator Conversation(string name) => Page.Locator($"button.conversation[data-conversation=\"{name}\"]");

    /// <summary>The time a message row shows, checked against its own machine-readable time: local, and the server's.</summary>
    public static async Task<DateTimeOffset> ShownTimeAsync(ILocator message)
    {
        var time = message.Locator("time.msg-time");
        var datetime = await time.GetAttributeAsync("datetime") ?? throw new Xunit.Sdk.XunitException("A message has no time.");
        var when = DateTimeOffset.Parse(datetime, CultureInfo.InvariantCulture);
        await Expect(time).ToHaveTextAsync(LocalClock(when));
        return when;
    }

    /// <summary>How the page should show <paramref name="when"/>: hours and minutes in the browser's time zone.</summary>
    public static string LocalClock(DateTimeOffset when) =>
        TimeZoneInfo.ConvertTime(when, TimeZoneInfo.FindSystemTimeZoneById(TimeZone)).ToString("HH:mm", CultureInfo.InvariantCulture);
}
