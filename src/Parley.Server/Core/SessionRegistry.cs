using System.Collections.Concurrent;
using Parley.Server.Cluster;

namespace Parley.Server.Core;

/// <summary>
/// Who is online: at most one session per user key (guarantee 1, unique names). In a cluster the
/// name is also leased cluster-wide through the backplane, so it is unique across every node.
/// </summary>
public sealed class SessionRegistry(IClusterBackplane? cluster = null)
{
    private readonly ConcurrentDictionary<string, ClientSession> _byUser = new(StringComparer.Ordinal);

    /// <summary>Claims a name on this server only; false when another session here holds it.</summary>
    public bool TryClaim(string userKey, ClientSession session) => _byUser.TryAdd(userKey, session);

    /// <summary>
    /// Claims a name for a session, on this server and (in a cluster) across the cluster; false when
    /// another session holds it anywhere.
    /// </summary>
    /// <exception cref="InvalidOperationException">The cluster cannot be asked (its backplane is down).</exception>
    public async Task<bool> TryClaimAsync(string userKey, string user, ClientSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!TryClaim(userKey, session))
        {
            return false;
        }
        if (cluster is null)
        {
            return true;
        }
        try
        {
            if (await cluster.TryClaimNameAsync(userKey, user, HolderOf(session)).ConfigureAwait(false))
            {
                return true;
            }
        }
        catch
        {
            Release(userKey, session);
            throw;
        }
        Release(userKey, session);
        return false;
    }

    /// <summary>Releases a name, only if <paramref name="session"/> holds it.</summary>
    public void Release(string userKey, ClientSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (_byUser.TryRemove(new KeyValuePair<string, ClientSession>(userKey, session)))
        {
            cluster?.ReleaseName(userKey, HolderOf(session));
        }
    }

    /// <summary>The session holding a name on this server, if any.</summary>
    public ClientSession? Find(string userKey) => _byUser.TryGetValue(userKey, out var session) ? session : null;

    /// <summary>The name as shown of whoever holds <paramref name="userKey"/> on this server or, in a cluster, on any node; null when nobody does.</summary>
    /// <exception cref="InvalidOperationException">The cluster cannot be asked (its backplane is down).</exception>
    public async ValueTask<string?> FindNameAsync(string userKey) =>
        Find(userKey)?.User ?? (cluster is null ? null : await cluster.FindNameAsync(userKey).ConfigureAwait(false));

    private string HolderOf(ClientSession session) => $"{cluster!.NodeName}/{session.Connection.Id}";
}
