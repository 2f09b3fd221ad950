namespace Parley.Server.Core;

/// <summary>The topics servers publish to and hear (<see cref="IConversationFeed"/>).</summary>
public static class FeedTopics
{
    /// <summary>A room's messages and presence.</summary>
    public static string Room(string room) => room;

    /// <summary>The direct messages to an identity.</summary>
    public static string User(string identity) => "user:" + identity;
}
