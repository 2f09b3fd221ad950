using Parley.Server.Cluster;

namespace Parley.Server.Core;

/// <summary>
/// Names held beyond this server's <see cref="SessionRegistry"/>: nothing on one server, the leases every node
/// shares in a cluster. The registry claims, releases and finds names through it without knowing which it has.
/// </summary>
public interface INameDirectory
{
    /// <summary>True when other servers share the names: a guest's grace period is kept there, not here.</summary>
    bool IsShared { get; }

    /// <summary>
    /// Claims the name under <paramref name="skeleton"/> for <paramref name="session"/> beyond this server, as
    /// <see cref="IClusterBackplane.TryClaimNameAsync"/> gives it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The other servers cannot be asked.</exception>
    Task<NameClaim> TryClaimAsync(string skeleton, ClientSession session, string identity, string details, bool takeOver);

    /// <summary>Gives the name back beyond this server, kept for its identity for <paramref name="keep"/>; never blocks.</summary>
    void Release(string skeleton, ClientSession session, TimeSpan keep);

    /// <summary>Who holds the name under <paramref name="skeleton"/> beyond this server, or null.</summary>
    /// <exception cref="InvalidOperationException">The other servers cannot be asked.</exception>
    Task<HeldName?> FindAsync(string skeleton);

    /// <summary>True when <paramref name="holder"/>, as a lost name names it, is <paramref name="session"/>.</summary>
    bool IsHolder(string holder, ClientSession session);

    /// <summary>Calls <paramref name="onLost"/> (skeleton, holder) when another server took over a name held here.</summary>
    void WatchLost(Action<string, string> onLost);
}
