using System.Globalization;
using Parley.Protocol.Frames;
using Parley.Testing;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>Earlier history comes in pages as the user scrolls up.</summary>
public sealed class HistoryTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const int Count = 130;

    [Fact]
    public async Task Scrolling_up_loads_earlier_history_down_to_the_first_message_each_once()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string> { ["Parley:FlowControlDisabled"] = "true" });
        await using var bob = await server.HelloAsync(Transport.Tcp, "bob");
        for (var i = 1; i <= Count; i++)
        {
            await bob.SendAsync(new SendFrame { Id = $"h{i}", To = "#lobby", Text = Text(i) });
        }
        await bob.ReplyAsync($"h{Count}");
        await using var context = await browser.NewUserAsync();
        var alice = await ChatPage.SignInAsync(context, server.Http, "alice");
        await Expect(alice.Message(Text(Count))).ToBeVisibleAsync();
        Assert.True(await alice.Messages.CountAsync() < Count, "Only the latest page is loaded at first.");

        var list = alice.Page.Locator("#messages");
        while (await alice.Message(Text(1)).CountAsync() == 0)
        {
            var loaded = await alice.Messages.CountAsync();
            await list.EvaluateAsync("list => list.scrollTop = 0");
            await Expect(alice.Messages).Not.ToHaveCountAsync(loaded);
        }

        await Expect(alice.Messages).ToHaveCountAsync(Count);
        await Expect(alice.Messages.First.Locator(".text")).ToHaveTextAsync(Text(1));
        await Expect(alice.Messages.Last.Locator(".text")).ToHaveTextAsync(Text(Count));
        await Expect(alice.Page.Locator(".history-note")).ToHaveTextAsync("This is the beginning of #lobby.");
    }

    [Fact]
    public async Task A_day_separator_names_the_day_of_the_messages_below_it_in_the_browsers_calendar()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.HelloAsync(Transport.Tcp, "bob");
        await bob.AssertAckedAsync("d1", "#lobby", "said today");
        await using var context = await browser.NewUserAsync();
        var page = await context.NewPageAsync();
        // the browser's clock says tomorrow: what the server stamped today is yesterday's
        await page.Clock.SetFixedTimeAsync(DateTime.UtcNow.AddDays(1));
        await page.GotoAsync($"http://{server.Http}/");
        var alice = new ChatPage(page);
        await alice.SubmitSignInAsync("alice");

        await Expect(alice.Message("said today")).ToHaveCountAsync(1);
        await Expect(page.Locator("#messages .day-separator")).ToHaveTextAsync("Yesterday");
    }

    private static string Text(int i) => "history line " + i.ToString(CultureInfo.InvariantCulture);
}
