using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Protocol;

/// <summary>The server as a real process: killed, stopped, restarted on the same database.</summary>
public sealed class DurabilityTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "parley-durability-" + Guid.NewGuid().ToString("N"));

    public DurabilityTests() => Directory.CreateDirectory(_directory);

    private string Database => Path.Combine(_directory, "parley.db");

    [Fact]
    public async Task AnAckedMessageSurvivesSigkillAndSeqContinues()
    {
        var first = await ServerProcess.StartAsync(Database);
        await using (var alice = await RawClient.ConnectTcpAsync(first.Tcp))
        {
            // an account: its identity outlives the server (a guest's ends with a restart)
            await alice.SendAsync(new HelloFrame { User = "alice" });
            await alice.NextAsync();
            await alice.SendAsync(new RegisterFrame { Id = "r", Password = "correct horse" });
            await alice.ReplyAsync("r");
            for (var i = 1; i <= 3; i++)
            {
                await alice.SendAsync(new SendFrame { Id = $"a{i}", To = "#lobby", Text = $"before the crash {i}" });
            }
            Assert.Equal(3, (await alice.ReplyAsync("a3")).Num("seq"));
            // killed right after the ack: no flush, no goodbye
            await first.KillAsync();
        }
        await first.DisposeAsync();

        await using var second = await ServerProcess.StartAsync(Database);
        await using var bob = await RawClient.ConnectTcpAsync(second.Tcp);
        await bob.SendAsync(new HelloFrame { User = "bob" });
        await bob.NextAsync();
        await bob.SendAsync(new HistoryRequestFrame { Id = "h", To = "#lobby" });
        var history = await bob.ReplyAsync("h");
        Assert.Equal(["before the crash 1", "before the crash 2", "before the crash 3"],
            history.GetProperty("messages").EnumerateArray().Select(m => m.Str("text")));
        await bob.SendAsync(new SendFrame { Id = "b1", To = "#lobby", Text = "after" });
        Assert.Equal(4, (await bob.ReplyAsync("b1")).Num("seq"));

        // the sender, unsure after the crash, resends: the original ack comes back, nothing is doubled
        await using var alice2 = await RawClient.ConnectTcpAsync(second.Tcp);
        await alice2.SendAsync(new HelloFrame { User = "alice", Password = "correct horse" });
        Assert.True((await alice2.NextAsync()).Is("welcome"));
        await alice2.SendAsync(new SendFrame { Id = "a3", To = "#lobby", Text = "before the crash 3" });
        Assert.Equal(3, (await alice2.ReplyAsync("a3")).Num("seq"));
    }

    [Fact]
    public async Task SigtermTellsClientsAndExitsZero()
    {
        await using var server = await ServerProcess.StartAsync(Database);
        await using var alice = await RawClient.ConnectTcpAsync(server.Tcp);
        await alice.SendAsync(new HelloFrame { User = "alice" });
        await alice.NextAsync();
        await alice.SendAsync(new SendFrame { Id = "last", To = "#lobby", Text = "just before the stop" });
        var ack = await alice.ReplyAsync("last");

        Assert.Equal(0, await server.TerminateAsync());
        var frames = await alice.ClosedAsync();
        frames[^1].AssertError("server_shutdown");
        Assert.Equal(1, ack.Num("seq"));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // the system cleans temp
        }
    }
}
