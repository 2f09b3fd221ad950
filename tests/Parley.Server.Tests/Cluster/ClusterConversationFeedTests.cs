using Microsoft.Extensions.Logging.Abstractions;
using Parley.Server.Core;
using Parley.Server.Core.Cluster;
using Parley.Server.Redis;
using Parley.Testing;
using StackExchange.Redis;

namespace Parley.Server.Tests.Cluster;

/// <summary>
/// A node's topics on a real Redis: counted, and a leave followed at once by a join ends subscribed, however
/// the two race to Redis. Redis itself is asked how many subscribers a topic's channel has.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterConversationFeedTests(ClusterEngines engines) : IAsyncLifetime
{
    private readonly string prefix = "t" + Guid.NewGuid().ToString("N") + ":";
    private RedisBackplane? backplane;
    private ConnectionMultiplexer? observer;

    public async Task InitializeAsync()
    {
        backplane = new RedisBackplane(new RedisBackplaneOptions { Configuration = engines.Redis.Endpoint, NodeName = "n1", Prefix = prefix },
            NullLogger<RedisBackplane>.Instance);
        await backplane.StartAsync(_ => { }, () => { });
        observer = await ConnectionMultiplexer.ConnectAsync(engines.Redis.Endpoint);
    }

    public async Task DisposeAsync()
    {
        await backplane!.DisposeAsync();
        await observer!.DisposeAsync();
    }

    [Fact]
    public async Task ATopicIsSubscribedWhileAnyoneHearsIt()
    {
        var feed = new ClusterConversationFeed(backplane!, NullLogger<ClusterConversationFeed>.Instance);
        var topic = FeedTopics.Room("#dev");

        await feed.HearAsync(topic);
        await feed.HearAsync(topic);
        var twice = await SubscribersAsync(topic);
        feed.StopHearing(topic);
        var once = await SubscribersAsync(topic);
        feed.StopHearing(topic);
        await Waits.UntilAsync(async () => await SubscribersAsync(topic) == 0);

        Assert.Equal(1, twice);
        Assert.Equal(1, once);
        Assert.Equal(0, feed.Count);
    }

    [Fact]
    public async Task HearingAgainRightAfterTheLastStopEndsSubscribed()
    {
        var feed = new ClusterConversationFeed(backplane!, NullLogger<ClusterConversationFeed>.Instance);
        var topic = FeedTopics.User("@alice");

        for (var round = 0; round < 20; round++)
        {
            await feed.HearAsync(topic);
            feed.StopHearing(topic);
            // the unsubscribe may not have reached Redis yet: this subscribe must come after it
            await feed.HearAsync(topic);
            Assert.Equal(1, await SubscribersAsync(topic));
            feed.StopHearing(topic);
        }
        await Waits.UntilAsync(async () => await SubscribersAsync(topic) == 0);
    }

    // what Redis says: PUBSUB SHARDNUMSUB of the topic's channel
    private async Task<long> SubscribersAsync(string topic)
    {
        var result = await observer!.GetDatabase().ExecuteAsync("PUBSUB", "SHARDNUMSUB", prefix + "t:" + topic);
        return (long)((RedisResult[])result!)[1];
    }
}
