namespace Parley.Server.Cluster;

/// <summary>
/// What joins a node to a cluster: a channel per topic (a room, a user's direct messages) that the nodes
/// which need it hear, and names leased cluster-wide (by the key that makes a name unique, its confusable skeleton).
/// The server core drives it (ordering, gap filling, catch-up); an engine (Redis) implements it.
/// </summary>
public interface IClusterBackplane : IAsyncDisposable
{
    /// <summary>This node's name, in logs and in what it publishes.</summary>
    string NodeName { get; }

    /// <summary>True while the engine answers.</summary>
    bool IsConnected { get; }

    /// <summary>
    /// Connects (a backplane that cannot connect yet keeps trying): <paramref name="onPublished"/> gets every
    /// payload any node publishes to a topic this node subscribes to (<see cref="SubscribeAsync"/>), this
    /// node's own included; a topic's payloads one at a time, in one order that every node sees alike (so
    /// each node's own payloads keep their place among the others'). <paramref name="onReconnected"/> runs
    /// after the engine came back.
    /// </summary>
    Task StartAsync(Action<byte[]> onPublished, Action onReconnected, CancellationToken cancellationToken = default);

    /// <summary>Sends a payload to the nodes subscribed to <paramref name="topic"/> without waiting; false when the engine is not reachable (the payload is dropped).</summary>
    bool Publish(string topic, byte[] payload);

    /// <summary>
    /// Starts hearing <paramref name="topic"/>: completes once what is published to it from now on reaches this
    /// node. Kept across reconnections. Called once per topic until <see cref="UnsubscribeAsync"/>.
    /// </summary>
    Task SubscribeAsync(string topic);

    /// <summary>Stops hearing <paramref name="topic"/>.</summary>
    Task UnsubscribeAsync(string topic);

    /// <summary>
    /// Leases the name <paramref name="nameKey"/> to <paramref name="holder"/> (<c>NODE/CONNECTION</c>) for
    /// <paramref name="identity"/>, cluster-wide; <paramref name="details"/> is kept with it for <see cref="FindNameAsync"/>.
    /// Fails when the name is held, unless <paramref name="takeOver"/> and it is held for the same identity (a
    /// session that proved it is that identity replaces an older one, or ends its grace period). The backplane
    /// renews the lease while the name is held, so a dead node's names free themselves when their lease runs out.
    /// </summary>
    /// <exception cref="InvalidOperationException">The engine is not reachable: the name cannot be checked.</exception>
    Task<NameClaim> TryClaimNameAsync(string nameKey, string holder, string identity, string details, bool takeOver, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives a name back (only if <paramref name="holder"/> still holds it); never blocks. With a positive
    /// <paramref name="keep"/> the name stays taken for its identity that long without a holder (a guest's grace period).
    /// </summary>
    void ReleaseName(string nameKey, string holder, TimeSpan keep);

    /// <summary>
    /// Calls <paramref name="onLost"/> (name key, holder) when a name this node held was taken over by another
    /// holder: the session that held it must end. Set once, before any name is claimed.
    /// </summary>
    void WatchLostNames(Action<string, string> onLost);

    /// <summary>
    /// Records (<paramref name="present"/>) or removes a member of a room on this node, cluster-wide;
    /// never blocks. <paramref name="nameKey"/> is the key its name is leased under: a record whose name is no
    /// longer held by this node (a dead node's) is ignored by readers.
    /// </summary>
    void SetRoomMember(string room, string nameKey, string user, bool present);

    /// <summary>
    /// Completes once what this node recorded so far (<see cref="SetRoomMember"/>) can be read by every node,
    /// or at once while the engine is not reachable. Never throws.
    /// </summary>
    Task RecordedAsync(CancellationToken cancellationToken = default);

    /// <summary>The names as shown of a room's members on every live node.</summary>
    /// <exception cref="InvalidOperationException">The engine is not reachable.</exception>
    Task<IReadOnlyList<string>> RoomMembersAsync(string room, CancellationToken cancellationToken = default);

    /// <summary>Every room with members on a live node, and how many.</summary>
    /// <exception cref="InvalidOperationException">The engine is not reachable.</exception>
    Task<IReadOnlyDictionary<string, int>> RoomCountsAsync(CancellationToken cancellationToken = default);

    /// <summary>Who holds the name <paramref name="nameKey"/> anywhere in the cluster (or keeps it through a grace period), or null.</summary>
    /// <exception cref="InvalidOperationException">The engine is not reachable.</exception>
    Task<HeldName?> FindNameAsync(string nameKey, CancellationToken cancellationToken = default);
}

/// <summary>The outcome of <see cref="IClusterBackplane.TryClaimNameAsync"/>.</summary>
/// <param name="Claimed">True when the name is now leased to the caller.</param>
/// <param name="PreviousHolder">The holder it was taken over from, when it had one; its session must end.</param>
public sealed record NameClaim(bool Claimed, string? PreviousHolder);

/// <summary>A name held in the cluster.</summary>
/// <param name="Holder">The holder (<c>NODE/CONNECTION</c>), or null while the name is kept without one.</param>
/// <param name="Identity">The identity it is held for.</param>
/// <param name="Details">What the claimer kept with it.</param>
public sealed record HeldName(string? Holder, string Identity, string Details);
