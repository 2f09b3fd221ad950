namespace Parley.Server.Core;

/// <summary>
/// What this server hears of what other servers commit. One server hears everything there is already; a
/// node of a cluster hears only its topics (<see cref="FeedTopics"/>): a room while it is loaded here, a
/// user's direct messages while the user is online here. So adding a node adds capacity: each hears
/// what its own users need, not every conversation of the cluster.
/// </summary>
public interface IConversationFeed
{
    /// <summary>Whether a room left without members here is let go (and so no longer heard), even when it has messages.</summary>
    bool ReleasesIdleRooms { get; }

    /// <summary>
    /// Starts hearing <paramref name="topic"/> (counted: as many <see cref="StopHearing"/> calls end it); completes
    /// once what is published to it from now on reaches this server. Never throws.
    /// </summary>
    Task HearAsync(string topic);

    /// <summary>Stops hearing <paramref name="topic"/> once: the last call that matches a <see cref="HearAsync"/> ends it.</summary>
    void StopHearing(string topic);
}
