using System.Net;
using Parley.Client;
using Parley.Protocol;
using Parley.Testing;
using Parley.Tui.State;

namespace Parley.Tui.Tests.EndToEnd;

/// <summary>The controller between a real client and the state, against a real server, without a screen.</summary>
public class ChatControllerTests
{
    private static Task<(ParleyClient Client, ChatState State, ChatController Controller)> ConnectAsync(TestServer server, string user) =>
        ConnectAsync(server.Tcp, user);

    private static async Task<(ParleyClient Client, ChatState State, ChatController Controller)> ConnectAsync(IPEndPoint server, string user)
    {
        var client = new ParleyClient(new ParleyClientOptions { Server = new Uri($"tcp://{server}"), User = user });
        var state = new ChatState(user, server.ToString());
        var gate = new Lock();
        var controller = new ChatController(client, state, action =>
        {
            lock (gate)
            {
                action();
            }
        }, server.ToString());
        controller.Attach();
        controller.OnWelcome(await client.ConnectAsync().WaitAsync(Waits.Frame));
        return (client, state, controller);
    }

    [Fact]
    public async Task RefusedMessageCanBeRetriedOnceTheCauseIsGoneAndIsThenDelivered()
    {
        await using var server = await TestServer.StartAsync();
        var (client, state, controller) = await ConnectAsync(server, "alice");
        await using (client)
        {
            Assert.False(await controller.Send("#dev", "early bird").WaitAsync(Waits.Frame));
            var line = Assert.Single(state.Find("#dev")!.Lines);
            Assert.Equal(ChatLineStatus.Refused, line.Status);
            Assert.StartsWith("not_in_room:", line.Error, StringComparison.Ordinal);

            await controller.ExecuteAsync("/join #dev", state.Current?.Name).WaitAsync(Waits.Frame);
            Assert.True(await controller.Retry(line).WaitAsync(Waits.Frame));
            Assert.Equal(ChatLineStatus.Delivered, line.Status);
            Assert.Equal(1, line.Seq);
        }
    }

    [Fact]
    public async Task MessagesALinkHoldsBackAndThenDeliversInABurstAreNotRateLimitedAndKeepTheirOrder()
    {
        await using var server = await TestServer.StartAsync();
        await using var link = StallingLink.Start(server.Tcp);
        var (client, state, controller) = await ConnectAsync(link.Endpoint, "alice");
        await using (client)
        {
            var texts = Enumerable.Range(1, 60).Select(i => $"line {i}").ToArray();
            await link.HoldAsync();
            var deliveries = texts.Select(text => controller.Send("#lobby", text)).ToArray();
            // the stall the test is about, not a wait for an event: by pacing alone the client would write
            // 30 + 2 × 18 sends in 2 s, more than the server's burst of 40, and a link that delivers them
            // at once would get the rest refused as rate_limited, to be sent again after later lines
            await Task.Delay(TimeSpan.FromSeconds(2));
            await link.ReleaseAsync();

            Assert.All(await Task.WhenAll(deliveries).WaitAsync(Waits.Long), Assert.True);
            Assert.DoesNotContain(ErrorCodes.RateLimited, link.FromServer, StringComparison.Ordinal);
            ChatLine[] lines = [];
            controller.Post(() => lines = [.. state.Find("#lobby")!.Lines.Where(line => line.Sender == "alice")]);
            Assert.Equal(texts, lines.Select(line => line.Text));
            // stored in the order typed: each one's seq follows the one before
            Assert.All(lines.Zip(lines.Skip(1)), pair => Assert.True(pair.First.Seq < pair.Second.Seq, $"{pair.First.Text} after {pair.Second.Text}"));
        }
    }

    [Fact]
    public async Task CommandThatFailsBecomesAnErrorNoticeWithTheServersReason()
    {
        await using var server = await TestServer.StartAsync();
        var (client, state, controller) = await ConnectAsync(server, "alice");
        await using (client)
        {
            await controller.ExecuteAsync("/leave #nowhere", state.Current?.Name).WaitAsync(Waits.Frame);
            var notice = state.Current!.Lines[^1];
            Assert.Equal(NoticeKind.Error, notice.Kind);
            Assert.Contains("not_in_room", notice.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WelcomeFillsTheMembersOfTheRoomsAndPresenceKeepsThemCurrent()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.HelloAsync(Transport.Tcp, "bob");
        var (client, state, controller) = await ConnectAsync(server, "alice");
        await using (client)
        {
            // the members come with the answer to a who the controller asks after the welcome
            var filled = new TaskCompletionSource<string[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            void Check()
            {
                if (state.Find("#lobby")!.Members.Count == 2)
                {
                    filled.TrySetResult([.. state.Find("#lobby")!.Members]);
                }
            }
            controller.Post(() =>
            {
                state.Changed += Check;
                Check();
            });
            Assert.Equal(["alice", "bob"], await filled.Task.WaitAsync(Waits.Frame));
        }
    }
}
