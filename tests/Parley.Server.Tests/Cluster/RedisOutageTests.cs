using System.Net.Http;
using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Cluster;

/// <summary>Redis stops and comes back while clients send: a Redis of this class's own, since it is stopped.</summary>
public sealed class RedisOutageTests(PostgresServer postgres, RedisServer redis)
    : IClassFixture<PostgresServer>, IClassFixture<RedisServer>, IAsyncLifetime
{
    private readonly ClusterNodes cluster = new(postgres, redis);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task RedisStoppedAndRestartedWhileClientsSendLosesNoAckedMessageAndDeliversNoneTwice()
    {
        var nodes = await cluster.StartAsync(2);
        var (alice, _) = await ClusterNodes.HelloAsync(nodes[0], "alice");
        var (bob, _) = await ClusterNodes.HelloAsync(nodes[1], "bob");
        await using var a = alice;
        await using var b = bob;
        using var http = new HttpClient();
        var acked = new List<long>();

        async Task SendAsync(string id)
        {
            await alice.SendAsync(new SendFrame { Id = id, To = "#lobby", Text = id });
            acked.Add((await alice.ReplyAsync(id)).Num("seq"));
        }

        await SendAsync("before");
        await redis.StopAsync();
        var healthDuring = await HealthWhenAsync(http, nodes[0], System.Net.HttpStatusCode.ServiceUnavailable);
        for (var i = 0; i < 5; i++)
        {
            await SendAsync($"during {i}");
        }
        await redis.StartAsync();
        await SendAsync("after");

        var received = new List<string>();
        while (received.Count < acked.Count)
        {
            var (message, _) = await bob.WaitForAsync(f => f.Is("message"));
            received.Add(message.Str("text")!);
        }
        await bob.SendAsync(new PingFrame { Id = "p" });
        var (_, skipped) = await bob.WaitForAsync(f => f.Id() == "p");

        Assert.Contains("redis", healthDuring, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], acked);
        Assert.Equal(["before", "during 0", "during 1", "during 2", "during 3", "during 4", "after"], received);
        Assert.DoesNotContain(skipped, f => f.Is("message"));
    }

    // the node notices the outage when its connection drops: ask /healthz until it says so, within a bound
    private static async Task<string> HealthWhenAsync(HttpClient http, ServerProcess node, System.Net.HttpStatusCode status)
    {
        using var deadline = new CancellationTokenSource(Waits.Long);
        while (true)
        {
            using var response = await http.GetAsync(new Uri($"http://{node.Http}/healthz"), deadline.Token);
            if (response.StatusCode == status)
            {
                return await response.Content.ReadAsStringAsync(deadline.Token);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }
    }
}
