using Microsoft.Playwright;
using Parley.Protocol.Frames;
using Parley.Testing;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>Whatever a message says is shown as text and runs nothing.</summary>
public sealed class InjectionTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string ImageTag = "<img src=x onerror=alert(1)>";
    private const string ScriptLink = "[click me](javascript:alert(2)) or javascript:alert(3)";
    private const string ScriptTag = "<script>alert(4)</script><b>bold?</b>";

    [Fact]
    public async Task Markup_and_javascript_links_in_messages_are_shown_literally_and_run_nothing()
    {
        await using var server = await TestServer.StartAsync();
        await using var mallory = await server.HelloAsync(Transport.Tcp, "mallory");
        await using var aliceContext = await browser.NewUserAsync();
        await using var bobContext = await browser.NewUserAsync();
        var alice = await ChatPage.SignInAsync(aliceContext, server.Http, "alice");
        var bob = await ChatPage.SignInAsync(bobContext, server.Http, "bob");
        var dialogs = new List<string>();
        alice.Page.Dialog += (_, dialog) => dialogs.Add(dialog.Message);
        bob.Page.Dialog += (_, dialog) => dialogs.Add(dialog.Message);

        await alice.SendAsync(ImageTag);
        await mallory.SendAsync(new SendFrame { Id = "m1", To = "#lobby", Text = ScriptLink });
        await mallory.SendAsync(new SendFrame { Id = "m2", To = "#lobby", Text = ScriptTag });
        await mallory.SendAsync(new SendFrame { Id = "m3", To = "#lobby", Text = "docs at https://example.invalid/parley" });

        foreach (var page in new[] { alice, bob })
        {
            foreach (var text in new[] { ImageTag, ScriptLink, ScriptTag })
            {
                await Expect(page.Message(text).Locator(".text")).ToHaveTextAsync(text);
            }
            // the positive control: a web address does become a link, and a safe one
            var link = page.Message("docs at https://example.invalid/parley").Locator("a");
            await Expect(link).ToHaveAttributeAsync("href", "https://example.invalid/parley");
            await Expect(link).ToHaveAttributeAsync("rel", "noopener noreferrer");
            await Expect(page.Page.Locator("#messages img, #messages script, #messages b")).ToHaveCountAsync(0);
            await Expect(page.Page.Locator("a[href^='javascript' i]")).ToHaveCountAsync(0);
        }

        // an image that failed to load would have fired by now; a last round trip makes sure
        await alice.SendAsync("still here");
        await Expect(bob.Message("still here")).ToHaveCountAsync(1);
        Assert.Empty(dialogs);
    }

    [Fact]
    public async Task The_page_forbids_inline_script_so_even_injected_markup_could_not_run()
    {
        await using var server = await TestServer.StartAsync();
        await using var context = await browser.NewUserAsync();
        var alice = await ChatPage.SignInAsync(context, server.Http, "alice");

        // what an innerHTML mistake would do: the browser itself must refuse to run it
        var ran = await alice.Page.EvaluateAsync<bool>("""
            () => new Promise(resolve => {
              window.injectedRan = false;
              document.addEventListener('securitypolicyviolation', () => resolve(window.injectedRan), { once: true });
              const holder = document.createElement('div');
              holder.innerHTML = '<img src="data:," onload="window.injectedRan = true">';
              document.body.append(holder);
            })
            """);
        Assert.False(ran);
    }
}
