using Parley.Protocol.Frames;
using Parley.Testing;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>The sign-in screen shows the server's reason for a refusal next to the field.</summary>
public sealed class SignInTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_taken_or_invalid_name_is_refused_with_the_servers_reason_next_to_the_username()
    {
        await using var server = await TestServer.StartAsync();
        await using var holder = await server.HelloAsync(Transport.Tcp, "alice");
        await using var context = await browser.NewUserAsync();
        var page = await ChatPage.OpenAsync(context, server.Http);

        await page.SubmitSignInAsync("ALICE");
        await Expect(page.Page.Locator("#sign-in-user-error")).ToHaveTextAsync("ALICE is in use by someone else. Pick another name.");
        await Expect(page.SignInForm.GetByLabel("Username")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Page.Locator("#chat")).ToBeHiddenAsync();

        // the page shows the server's own words, whatever the name rules of the day say
        await using var probe = await server.ConnectAsync(Transport.Tcp);
        await probe.SendAsync(new HelloFrame { User = "no spaces please" });
        var refusal = await probe.NextAsync();
        refusal.AssertError("invalid_username");
        await page.SubmitSignInAsync("no spaces please");
        await Expect(page.Page.Locator("#sign-in-user-error")).ToHaveTextAsync(refusal.Str("message")!);

        await page.SubmitSignInAsync("alice2");
        await Expect(page.Page.Locator("#chat")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_wrong_password_for_a_registered_name_is_shown_next_to_the_password()
    {
        await using var server = await TestServer.StartAsync();
        await using (var owner = await server.HelloAsync(Transport.Tcp, "carol"))
        {
            await owner.AssertAnsweredAsync(new RegisterFrame { Id = "r", Password = "correct horse" }, "registered");
            await owner.SendAsync(new QuitFrame());
            await owner.ClosedAsync();
        }
        await using var context = await browser.NewUserAsync();
        var page = await ChatPage.OpenAsync(context, server.Http);

        await page.SubmitSignInAsync("carol", "battery staple");
        await Expect(page.Page.Locator("#sign-in-password-error")).ToHaveTextAsync("carol is a registered name: the password is missing or wrong.");

        await page.SubmitSignInAsync("carol", "correct horse");
        await Expect(page.Page.Locator("#self-name")).ToHaveTextAsync("carol");
    }

    [Fact]
    public async Task A_server_that_is_gone_is_said_to_be_unreachable()
    {
        var server = await TestServer.StartAsync();
        await using var context = await browser.NewUserAsync();
        var page = await ChatPage.OpenAsync(context, server.Http);
        await server.DisposeAsync();

        await page.SubmitSignInAsync("alice");
        await Expect(page.Page.Locator("#sign-in-error")).ToHaveTextAsync("The server cannot be reached. Is it running?");
    }
}
