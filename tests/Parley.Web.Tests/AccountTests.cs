using Microsoft.Playwright;
using Parley.Protocol.Frames;
using Parley.Testing;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>Accounts from the page: created on the sign-in page, or a guest's name protected with a password.</summary>
public sealed class AccountTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string WeakPassword = "A password needs at least 8 characters and must not be the name itself.";

    [Fact]
    public async Task An_account_created_on_the_sign_in_page_signs_in_from_a_second_browser_with_its_password()
    {
        await using var server = await TestServer.StartAsync();
        await using var context = await browser.NewUserAsync();
        var dana = await ChatPage.OpenAsync(context, server.Http);
        await dana.Page.GetByRole(AriaRole.Button, new() { Name = "Create an account" }).ClickAsync();
        await Expect(dana.CreateAccountForm).ToBeVisibleAsync();

        await dana.SubmitCreateAccountAsync("dana", "correct horse", "correct hrose");
        await Expect(dana.Page.Locator("#create-password-again-error")).ToHaveTextAsync("The two passwords are not the same.");
        await Expect(dana.CreateAccountForm.GetByLabel("Repeat the password")).ToHaveAttributeAsync("aria-invalid", "true");

        await dana.SubmitCreateAccountAsync("dana", "dana", "dana");
        await Expect(dana.Page.Locator("#create-password-error")).ToHaveTextAsync(WeakPassword);
        await Expect(dana.Page.Locator("#chat")).ToBeHiddenAsync();

        // the refused attempt said quit: the name is free for the next one
        await dana.SubmitCreateAccountAsync("dana", "correct horse", "correct horse");
        await dana.ExpectOnlineAsync();
        await Expect(dana.Page.Locator("#self-name")).ToHaveTextAsync("dana");
        await Expect(dana.Page.GetByRole(AriaRole.Button, new() { Name = "Protect this name with a password" })).ToBeHiddenAsync();
        await dana.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(dana.SignInForm).ToBeVisibleAsync();

        await using var elsewhere = await browser.NewUserAsync();
        var again = await ChatPage.OpenAsync(elsewhere, server.Http);
        await again.SubmitSignInAsync("dana");
        await Expect(again.Page.Locator("#sign-in-password-error")).ToHaveTextAsync("dana is a registered name: the password is missing or wrong.");
        await again.SubmitSignInAsync("dana", "correct horse");
        await again.ExpectOnlineAsync();
        await Expect(again.Page.Locator("#self-name")).ToHaveTextAsync("dana");
    }

    [Fact]
    public async Task Creating_an_account_under_a_name_in_use_is_refused_next_to_the_name()
    {
        await using var server = await TestServer.StartAsync();
        await using var holder = await server.HelloAsync(Transport.Tcp, "erin");
        await using var context = await browser.NewUserAsync();
        var page = await ChatPage.OpenAsync(context, server.Http);
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Create an account" }).ClickAsync();

        await page.SubmitCreateAccountAsync("erin", "correct horse", "correct horse");

        await Expect(page.Page.Locator("#create-user-error")).ToHaveTextAsync("erin is in use by someone else. Pick another name.");
        await Expect(page.CreateAccountForm.GetByLabel("Name")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Page.Locator("#chat")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_guest_who_protects_its_name_keeps_it_from_anyone_without_the_password()
    {
        await using var server = await TestServer.StartAsync();
        await using var context = await browser.NewUserAsync();
        var alice = await ChatPage.SignInAsync(context, server.Http, "alice");
        var dialog = alice.Page.GetByRole(AriaRole.Dialog, new() { Name = "Protect this name with a password" });

        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Protect this name with a password" }).ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.GetByLabel("Choose a password")).ToBeFocusedAsync();
        await dialog.GetByLabel("Choose a password").FillAsync("short");
        await dialog.GetByLabel("Repeat the password").FillAsync("short");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Protect name" }).ClickAsync();
        await Expect(alice.Page.Locator("#protect-password-error")).ToHaveTextAsync(WeakPassword);
        await dialog.GetByLabel("Choose a password").FillAsync("correct horse");
        await dialog.GetByLabel("Repeat the password").FillAsync("correct horse");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Protect name" }).ClickAsync();

        await Expect(dialog).ToBeHiddenAsync();
        await Expect(alice.Page.GetByRole(AriaRole.Button, new() { Name = "Protect this name with a password" })).ToBeHiddenAsync();
        await using var elsewhere = await browser.NewUserAsync();
        var intruder = await ChatPage.OpenAsync(elsewhere, server.Http);
        await intruder.SubmitSignInAsync("alice");
        await Expect(intruder.Page.Locator("#sign-in-password-error")).ToHaveTextAsync("alice is a registered name: the password is missing or wrong.");
        await Expect(intruder.Page.Locator("#chat")).ToBeHiddenAsync();
        // the page kept the account's token, not the guest's that register ended: a reload signs in with it
        await alice.Page.ReloadAsync();
        await alice.ExpectOnlineAsync();
        await Expect(alice.Page.Locator("#self-name")).ToHaveTextAsync("alice");
        await Expect(alice.Page.GetByRole(AriaRole.Button, new() { Name = "Protect this name with a password" })).ToBeHiddenAsync();
    }
}
