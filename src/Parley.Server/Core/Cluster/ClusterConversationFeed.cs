using Microsoft.Extensions.Logging;
using Parley.Server.Cluster;

namespace Parley.Server.Core.Cluster;

/// <summary>
/// A node's topics on the backplane, counted: the first <see cref="HearAsync"/> of a topic subscribes, the
/// last <see cref="StopHearing"/> unsubscribes. A topic's subscribes and unsubscribes reach the backplane in
/// the order they were decided (each waits for the one before), so a join right after a leave ends subscribed.
/// </summary>
public sealed partial class ClusterConversationFeed(IClusterBackplane backplane, ILogger<ClusterConversationFeed> logger) : IConversationFeed
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Topic> _topics = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public bool ReleasesIdleRooms => true;

    /// <summary>How many topics this node hears now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _topics.Values.Count(topic => topic.Listeners > 0);
            }
        }
    }

    /// <inheritdoc />
    public Task HearAsync(string topic)
    {
        lock (_lock)
        {
            if (!_topics.TryGetValue(topic, out var state))
            {
                _topics[topic] = state = new Topic();
            }
            if (state.Listeners++ > 0)
            {
                // subscribed, or subscribing: the last step of its chain is that subscribe
                return state.Tail;
            }
            return state.Tail = ThenAsync(state.Tail, topic, subscribe: true, ++state.Steps);
        }
    }

    /// <inheritdoc />
    public void StopHearing(string topic)
    {
        lock (_lock)
        {
            if (!_topics.TryGetValue(topic, out var state) || state.Listeners == 0 || --state.Listeners > 0)
            {
                return;
            }
            state.Tail = ThenAsync(state.Tail, topic, subscribe: false, ++state.Steps);
        }
    }

    private async Task ThenAsync(Task previous, string topic, bool subscribe, int step)
    {
        await previous.ConfigureAwait(false);
        try
        {
            await (subscribe ? backplane.SubscribeAsync(topic) : backplane.UnsubscribeAsync(topic)).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // Redis away: what the topic misses is read from the store on the next gap or when Redis is back
            LogSubscriptionFailed(topic, error);
        }
        if (!subscribe)
        {
            lock (_lock)
            {
                // no step was chained after this one: the entry goes, or topics once heard would pile up
                if (_topics.TryGetValue(topic, out var state) && state.Steps == step)
                {
                    _topics.Remove(topic);
                }
            }
        }
    }

    [LoggerMessage(EventId = Diagnostics.ParleyEventIds.ClusterSubscriptionFailed, Level = LogLevel.Warning, Message = "Subscribing to or leaving the topic {Topic} failed")]
    private partial void LogSubscriptionFailed(string topic, Exception error);

    private sealed class Topic
    {
        public int Listeners;
        // how many subscribes and unsubscribes were chained: tells the last one it is the last
        public int Steps;
        public Task Tail = Task.CompletedTask;
    }
}
