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
        ["Parley:Limits:Disabled"] = "true",
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

    [Theory]
    [InlineData("parley")]
    [InlineData("parley-ws")]
    public async Task AQuickRunOverTlsDeliversEveryMessageOnceAndInOrder(string server)
    {
        await using var parley = await TestServer.StartTlsAsync(Unthrottled);
        var port = server == "parley" ? parley.Tcp.Port : parley.Http.Port;
        var options = BenchOptions.Parse([
            "--server", server, "--tls", "--port", port.ToString(CultureInfo.InvariantCulture), "--workload", "fanout",
            "--users", "12", "--senders", "3", "--window", "4", "--duration", "1", "--drain", "30",
        ]);

        var result = await new LoadRun(options).RunAsync().WaitAsync(TimeSpan.FromSeconds(90));

        Assert.Equal(server + "-tls", options.Name);
        Assert.True(result.Sent > 0, "nothing was sent");
        Assert.Equal(result.Sent, result.Acked);
        Assert.Equal((0, 0, 0, 0), (result.Errors, result.Lost, result.Doubled, result.OutOfOrder));
        Assert.False(result.Failed);
        var expected = result.SentBySender.Select((sent, s) => sent * result.ReceiversBySender[s]).Sum();
        Assert.Equal(expected, result.ReceivedBySender.Sum());
    }

    [Theory]
    [InlineData("fanout")]
    [InlineData("rooms")]
    public async Task AQuickRunAgainstRedisDeliversEveryMessageOnceAndInOrderOnOneConnectionPerUser(string workload)
    {
        await using var redis = new RedisServer();
        await redis.InitializeAsync();
        var options = BenchOptions.Parse([
            "--server", "redis", "--port", redis.Port.ToString(CultureInfo.InvariantCulture), "--workload", workload,
            "--users", "12", "--rooms", workload == "rooms" ? "3" : "1", "--senders", "3", "--window", "4", "--rate", "60",
            "--duration", "1", "--drain", "30",
        ]);
        var connectionsBefore = await ConnectionsReceivedAsync(redis);

        var result = await new LoadRun(options).RunAsync().WaitAsync(TimeSpan.FromSeconds(90));

        var connectionsDuring = await ConnectionsReceivedAsync(redis) - connectionsBefore - 1; // less the count's own
        Assert.True(result.Sent > 0, "nothing was sent");
        Assert.Equal(result.Sent, result.Acked);
        Assert.Equal((0, 0, 0, 0), (result.Errors, result.Lost, result.Doubled, result.OutOfOrder));
        Assert.False(result.Failed);
        var expected = result.SentBySender.Select((sent, s) => sent * result.ReceiversBySender[s]).Sum();
        Assert.Equal(expected, result.ReceivedBySender.Sum());
        // a sender subscribes and publishes on one connection: as many connections as users
        Assert.Equal(12, connectionsDuring);
    }

    private static async Task<int> ConnectionsReceivedAsync(RedisServer redis)
    {
        var info = await ExternalCommand.RunAsync("redis-cli", "-h", "127.0.0.1", "-p", redis.Port.ToString(CultureInfo.InvariantCulture), "info", "stats");
        var line = info.Split('\n').Single(l => l.StartsWith("total_connections_received:", StringComparison.Ordinal));
        return int.Parse(line.Split(':')[1].Trim(), CultureInfo.InvariantCulture);
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

    [Fact]
    public async Task AnIdleRunWarmsTheServerUpWithConnectionsOfItsOwnBeforeMeasuring()
    {
        await using var parley = await TestServer.StartAsync(Unthrottled);
        var options = BenchOptions.Parse([
            "--server", "parley", "--port", parley.Tcp.Port.ToString(CultureInfo.InvariantCulture), "--workload", "idle",
            "--users", "20", "--senders", "0", "--server-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
        ]);

        var result = await new LoadRun(options).RunAsync().WaitAsync(TimeSpan.FromSeconds(90));

        // 1 % of the users, at least 10, each welcomed (a warm-up user that is not fails the run)
        Assert.Equal(10, result.WarmUpConnections);
        Assert.Equal(20, result.Connected);
        Assert.True(result.ServerRssBefore > 0 && result.ServerRssAfter > 0, "the server's memory was read before and after");
        Assert.False(result.Failed);
    }
}
