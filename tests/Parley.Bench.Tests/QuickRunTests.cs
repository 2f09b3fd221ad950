using System.Globalization;
using Parley.Bench;
using Parley.Bench.Load;
using Parley.Testing;

namespace Parley.Bench.Tests;

/// <summary>
/// The generator's quick mode against a real server on loopback: every message reaches every other
/// member once and in order. A smoke test of the harness; it asserts no timing.
/// </summary>
public sealed class QuickRunTests
{
    private static readonly Dictionary<string, string> Unthrottled = new()
    {
        ["Parley:FlowControlDisabled"] = "true",
        ["Parley:AutoJoinLobby"] = "false",
    };

    [Theory]
    [InlineData("parley", "fanout")]
    [InlineData("parley-ws", "fanout")]
    [InlineData("parley", "steady")]
    [InlineData("parley", "rooms")]
    public async Task AQuickRunDeliversEveryMessageOnceAndInOrder(string server, string workload)
    {
        await using var parley = await TestServer.StartAsync(Unthrottled);
        var port = server == "parley" ? parley.Tcp.Port : parley.Http.Port;
        var rooms = workload == "rooms" ? "3" : "1";
        var options = BenchOptions.Parse([
            "--server", server, "--port", port.ToString(CultureInfo.InvariantCulture), "--workload", workload,
            "--users", "12", "--rooms", rooms, "--senders", "3", "--window", "4", "--rate", "60", "--duration", "1", "--drain", "30",
        ]);

        var result = await new LoadRun(options).RunAsync().WaitAsync(TimeSpan.FromSeconds(90));

        Assert.True(result.Sent > 0, "nothing was sent");
        Assert.Equal(result.Sent, result.Acked);
        Assert.Equal(0, result.Errors);
        Assert.Equal(0, result.Lost);
        Assert.Equal(0, result.Doubled);
        Assert.Equal(0, result.OutOfOrder);
        Assert.False(result.Failed);
        var expected = result.SentBySender.Select((sent, s) => sent * result.ReceiversBySender[s]).Sum();
        Assert.Equal(expected, result.ReceivedBySender.Sum());
    }

    [Fact]
    public async Task AnIdleRunConnectsAndWelcomesEveryUser()
    {
        await using var parley = await TestServer.StartAsync(Unthrottled);
        var options = BenchOptions.Parse([
            "--server", "parley-ws", "--port", parley.Http.Port.ToString(CultureInfo.InvariantCulture), "--workload", "storm",
            "--users", "50", "--senders", "0",
        ]);

        var result = await new LoadRun(options).RunAsync().WaitAsync(TimeSpan.FromSeconds(90));

        Assert.Equal(50, result.Connected);
        Assert.False(result.Failed);
    }
}
