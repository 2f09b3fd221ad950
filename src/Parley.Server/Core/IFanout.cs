using Parley.Server.Storage;

namespace Parley.Server.Core;

/// <summary>
/// Hands committed messages and presence to the members of a conversation. The in-process
/// implementation reaches the members connected to this server; a backplane implementation
/// also reaches the members on other nodes.
/// </summary>
public interface IFanout : IAsyncDisposable
{
    /// <summary>Starts reaching the members elsewhere (a backplane connects); nothing to do on one server.</summary>
    Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>
    /// Delivers a committed message to every member of its conversation except the sender's identity.
    /// Called by the commit pipeline in <c>seq</c> order per conversation; must not block. The frames go
    /// with <paramref name="deliveries"/>: the members' writers start once the whole commit is handed out.
    /// </summary>
    void PublishMessage(StoredMessage message, DeliveryBatch deliveries);

    /// <summary>Tells the members of <paramref name="room"/> other than the one whose name is held under <paramref name="userKey"/> that someone joined, left or quit.</summary>
    void PublishPresence(string room, string user, string userKey, string presenceEvent, DateTimeOffset ts);

    /// <summary>
    /// Called just before a member joins <paramref name="room"/> on this server (its join presence follows at once):
    /// a backplane implementation holds back presence from other nodes that was published before the join.
    /// </summary>
    void BeforeJoin(string room, string userKey)
    {
    }
}
