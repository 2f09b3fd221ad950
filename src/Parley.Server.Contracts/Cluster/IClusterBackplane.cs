namespace Parley.Server.Cluster;

/// <summary>
/// What joins a node to a cluster: a channel every node hears, and names leased cluster-wide.
/// The server core drives it (ordering, gap filling, catch-up); an engine (Redis) implements it.
/// </summary>
public interface IClusterBackplane : IAsyncDisposable
{
    /// <summary>This node's name, in logs and in what it publishes.</summary>
    string NodeName { get; }

    /// <summary>True while the engine answers.</summary>
    bool IsConnected { get; }

    /// <summary>
    /// Connects (a backplane that cannot connect yet keeps trying) and subscribes:
    /// <paramref name="onPublished"/> gets every payload any node publishes, this one's included, one at a
    /// time and in one order that every node sees alike (so each node's own payloads keep their place among
    /// the others'); <paramref name="onReconnected"/> runs after the engine came back.
    /// </summary>
    Task StartAsync(Action<byte[]> onPublished, Action onReconnected, CancellationToken cancellationToken = default);

    /// <summary>Sends a payload to every node without waiting; false when the engine is not reachable (the payload is dropped).</summary>
    bool Publish(byte[] payload);

    /// <summary>
    /// Leases <paramref name="userKey"/> to <paramref name="holder"/> (<c>NODE/CONNECTION</c>), shown as
    /// <paramref name="user"/>, cluster-wide; false when someone
    /// else holds it. The backplane renews the lease while the name is held, so a dead node's names
    /// free themselves when their lease runs out.
    /// </summary>
    /// <exception cref="InvalidOperationException">The engine is not reachable: the name cannot be checked.</exception>
    Task<bool> TryClaimNameAsync(string userKey, string user, string holder, CancellationToken cancellationToken = default);

    /// <summary>Gives a name back (only if <paramref name="holder"/> still holds it); never blocks.</summary>
    void ReleaseName(string userKey, string holder);

    /// <summary>
    /// Records (<paramref name="present"/>) or removes a member of a room on this node, cluster-wide;
    /// never blocks. A record whose name is no longer held by this node (a dead node's) is ignored by readers.
    /// </summary>
    void SetRoomMember(string room, string userKey, string user, bool present);

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

    /// <summary>The name as shown of whoever holds <paramref name="userKey"/> anywhere in the cluster, or null.</summary>
    /// <exception cref="InvalidOperationException">The engine is not reachable.</exception>
    Task<string?> FindNameAsync(string userKey, CancellationToken cancellationToken = default);
}
