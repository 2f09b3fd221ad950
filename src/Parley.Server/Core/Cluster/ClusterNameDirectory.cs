using Parley.Server.Cluster;

namespace Parley.Server.Core.Cluster;

/// <summary>The cluster's names: leases in the backplane, each held by a connection of a node (<c>NODE/CONNECTION</c>).</summary>
public sealed class ClusterNameDirectory(IClusterBackplane backplane) : INameDirectory
{
    /// <inheritdoc />
    public bool IsShared => true;

    /// <inheritdoc />
    public Task<NameClaim> TryClaimAsync(string skeleton, ClientSession session, string identity, string details, bool takeOver) =>
        backplane.TryClaimNameAsync(skeleton, HolderOf(session), identity, details, takeOver);

    /// <inheritdoc />
    public void Release(string skeleton, ClientSession session, TimeSpan keep) => backplane.ReleaseName(skeleton, HolderOf(session), keep);

    /// <inheritdoc />
    public Task<HeldName?> FindAsync(string skeleton) => backplane.FindNameAsync(skeleton);

    /// <inheritdoc />
    public bool IsHolder(string holder, ClientSession session) => holder == HolderOf(session);

    /// <inheritdoc />
    public void WatchLost(Action<string, string> onLost) => backplane.WatchLostNames(onLost);

    private string HolderOf(ClientSession session) => $"{backplane.NodeName}/{session.Connection.Id}";
}
