namespace Parley.Server.Core;

/// <summary>One server's feed: everything is committed here, so everything is heard; rooms with messages stay loaded.</summary>
public sealed class LocalConversationFeed : IConversationFeed
{
    /// <inheritdoc />
    public bool ReleasesIdleRooms => false;

    /// <inheritdoc />
    public Task HearAsync(string topic) => Task.CompletedTask;

    /// <inheritdoc />
    public void StopHearing(string topic)
    {
    }
}
