using System.Collections.Concurrent;

namespace Parley.Server.Core;

/// <summary>Who is online: at most one session per user key (guarantee 1, unique names).</summary>
public sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<string, ClientSession> _byUser = new(StringComparer.Ordinal);

    /// <summary>Claims a name for a session; false when another session holds it.</summary>
    public bool TryClaim(string userKey, ClientSession session) => _byUser.TryAdd(userKey, session);

    /// <summary>Releases a name, only if <paramref name="session"/> holds it.</summary>
    public void Release(string userKey, ClientSession session) =>
        _byUser.TryRemove(new KeyValuePair<string, ClientSession>(userKey, session));

    /// <summary>The session holding a name, if any.</summary>
    public ClientSession? Find(string userKey) => _byUser.TryGetValue(userKey, out var session) ? session : null;
}
