using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Parley.Protocol.Frames;
using Parley.Testing;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>A server restart mid-conversation: the page comes back with nothing lost and nothing twice.</summary>
public sealed class ReconnectTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task After_a_server_restart_the_page_reconnects_resends_and_shows_what_was_sent_meanwhile_once()
    {
        var directory = Path.Combine(Path.GetTempPath(), "parley-web-restart-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = await TestServer.StartAsync(directory: directory);
            // the page's WebSocket address is where it was served from: the restarted server takes the same port
            var samePort = new Dictionary<string, string> { ["Parley:Http"] = first.Http.ToString() };
            await using var context = await browser.NewUserAsync();
            var gate = new ConnectionGate();
            var alice = await ChatPage.SignInAsync(context, first.Http, "alice", route: gate.Route);
            await using (var bob = await first.HelloAsync(Transport.Tcp, "bob"))
            {
                await bob.AssertAckedAsync("b1", "#lobby", "before the restart");
                await Expect(alice.Message("before the restart")).ToHaveCountAsync(1);

                // the page may not come back until the test has sent what it should find missed
                gate.Refuse();
                await first.DisposeAsync();
            }
            await Expect(alice.Banner).ToContainTextAsync("Connection lost");
            await alice.SendAsync("typed while offline");
            await Expect(alice.Message("typed while offline")).ToHaveAttributeAsync("data-state", "pending");

            await using var second = await TestServer.StartAsync(samePort, directory);
            await using var bobAgain = await second.HelloAsync(Transport.Tcp, "bob");
            await bobAgain.AssertAckedAsync("b2", "#lobby", "sent while you were away");
            await bobAgain.AssertAckedAsync("b3", "#lobby", "and this too");
            gate.Admit();

            await Expect(alice.Banner).ToBeHiddenAsync(new() { Timeout = (float)Waits.Long.TotalMilliseconds });
            await Expect(alice.Message("sent while you were away")).ToHaveCountAsync(1);
            await Expect(alice.Message("and this too")).ToHaveCountAsync(1);
            var resent = (await bobAgain.WaitForAsync(IsMessage("typed while offline"))).Match;
            await Expect(alice.Message("typed while offline")).ToHaveAttributeAsync("data-state", "delivered");
            await Expect(alice.Message("typed while offline")).ToHaveAttributeAsync("data-seq",
                resent.GetProperty("seq").GetInt64().ToString(CultureInfo.InvariantCulture));

            // a last live message in each direction: everything before it has arrived by then
            await bobAgain.AssertAckedAsync("b4", "#lobby", "live again");
            await alice.SendAsync("me too");
            var (_, between) = await bobAgain.WaitForAsync(IsMessage("me too"));
            Assert.DoesNotContain(between, frame => IsMessage("typed while offline")(frame));
            await Expect(alice.Message("live again")).ToHaveCountAsync(1);
            foreach (var text in new[] { "before the restart", "sent while you were away", "and this too", "typed while offline", "live again", "me too" })
            {
                await Expect(alice.Message(text)).ToHaveCountAsync(1);
            }
            await Expect(alice.Messages).ToHaveCountAsync(6);
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

    [Fact]
    public async Task A_page_away_for_more_than_the_replay_carries_shows_every_message_once_when_back()
    {
        const int Missed = 1100;
        await using var server = await TestServer.StartAsync(new Dictionary<string, string> { ["Parley:FlowControlDisabled"] = "true" });
        await using var context = await browser.NewUserAsync();
        var gate = new ConnectionGate();
        var alice = await ChatPage.SignInAsync(context, server.Http, "alice", route: gate.Route);
        await using var bob = await server.HelloAsync(Transport.Tcp, "bob");
        await bob.SendAsync(new SendFrame { Id = "first", To = "#lobby", Text = "before the drop" });
        await Expect(alice.Message("before the drop")).ToHaveCountAsync(1);

        gate.Refuse();
        await gate.DropAsync();
        await Expect(alice.Banner).ToContainTextAsync("Connection lost");
        await bob.WaitForAsync(f => f.Type() == "presence" && f.Str("event") == "quit");
        for (var i = 1; i <= Missed; i++)
        {
            await bob.SendAsync(new SendFrame { Id = $"m{i}", To = "#lobby", Text = $"missed {i}" });
        }
        await bob.ReplyAsync($"m{Missed}", Waits.Long);
        gate.Admit();

        // the replay brings the 1,000 oldest after what the page saw; the page fetches the rest as history
        await Expect(alice.Messages).ToHaveCountAsync(Missed + 1, new() { Timeout = (float)Waits.Long.TotalMilliseconds });
        await Expect(alice.Message("missed 1")).ToHaveCountAsync(1);
        await Expect(alice.Message($"missed {Missed}")).ToHaveCountAsync(1);
        var seqs = await alice.Messages.EvaluateAllAsync<int[]>("rows => rows.map(row => Number(row.dataset.seq))");
        Assert.Equal(Enumerable.Range(1, Missed + 1), seqs);
    }

    private static Func<JsonElement, bool> IsMessage(string text) =>
        frame => frame.Type() == "message" && frame.GetProperty("text").GetString() == text;

    /// <summary>Lets the page's WebSocket through to the server, or refuses new ones while told to.</summary>
    private sealed class ConnectionGate
    {
        private volatile bool _refusing;
        private volatile IWebSocketRoute? _current;

        public void Refuse() => _refusing = true;

        public void Admit() => _refusing = false;

        /// <summary>Cuts the connection that is through, as a network that fails (both ends see it close).</summary>
        public Task DropAsync() => _current?.CloseAsync() ?? Task.CompletedTask;

        public void Route(IWebSocketRoute page)
        {
            if (_refusing)
            {
                _ = page.CloseAsync();
                return;
            }
            page.ConnectToServer();
            _current = page;
        }
    }
}
