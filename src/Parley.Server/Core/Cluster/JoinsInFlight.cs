namespace Parley.Server.Core.Cluster;

/// <summary>
/// The joins on this node whose own envelope has not come back from the backplane yet. The backplane hands
/// every node the envelopes in one order, so presence from another node heard while a member's join is in
/// flight was published before that join, and is not for that member.
/// </summary>
/// <remarks>Thread-safe: joins are counted on sessions' threads, envelopes come back on the backplane's.</remarks>
internal sealed class JoinsInFlight(TimeProvider time)
{
    // A join's envelope comes back from Redis within milliseconds; one lost on the way (a PUBLISH
    // written as the connection dropped) must not keep the member from hearing the room for good
    private static readonly TimeSpan EchoTimeout = TimeSpan.FromSeconds(10);

    // (room, user key) → how many joins are in flight, and when the last one was published
    private readonly Dictionary<(string Room, string UserKey), (int Count, DateTimeOffset Since)> _joins = [];

    /// <summary>A member is about to join <paramref name="room"/>; its join's envelope is on its way.</summary>
    public void Add(string room, string userKey)
    {
        lock (_joins)
        {
            _joins[(room, userKey)] = (_joins.GetValueOrDefault((room, userKey)).Count + 1, time.GetUtcNow());
        }
    }

    /// <summary>True while the member's join of <paramref name="room"/> has not come back (and is not given up on).</summary>
    public bool Contains(string room, string userKey)
    {
        lock (_joins)
        {
            if (!_joins.TryGetValue((room, userKey), out var join))
            {
                return false;
            }
            if (time.GetUtcNow() - join.Since < EchoTimeout)
            {
                return true;
            }
            // its envelope was lost: it will not come back
            _joins.Remove((room, userKey));
            return false;
        }
    }

    /// <summary>The join's envelope came back, or none will (it could not be published).</summary>
    public void Remove(string room, string userKey)
    {
        lock (_joins)
        {
            if (!_joins.TryGetValue((room, userKey), out var join))
            {
                return;
            }
            if (join.Count > 1)
            {
                _joins[(room, userKey)] = (join.Count - 1, join.Since);
            }
            else
            {
                _joins.Remove((room, userKey));
            }
        }
    }

    /// <summary>Forgets every join: envelopes lost with the backplane's connection never come back.</summary>
    public void Clear()
    {
        lock (_joins)
        {
            _joins.Clear();
        }
    }
}
