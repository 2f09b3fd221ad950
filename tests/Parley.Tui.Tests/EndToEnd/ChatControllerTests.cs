using Parley.Client;
using Parley.Testing;
using Parley.Tui.State;

namespace Parley.Tui.Tests.EndToEnd;

/// <summary>The controller between a real client and the state, against a real server, without a screen.</summary>
public class ChatControllerTests
{
    private static async Task<(ParleyClient Client, ChatState State, ChatController Controller)> ConnectAsync(TestServer server, string user)
    {
        var client = new ParleyClient(new ParleyClientOptions { Server = new Uri($"tcp://{server.Tcp}"), User = user });
        var state = new ChatState(user, server.Tcp.ToString());
        var gate = new Lock();
        var controller = new ChatController(client, state, action =>
        {
            lock (gate)
            {
                action();
            }
        }, server.Tcp.ToString());
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
