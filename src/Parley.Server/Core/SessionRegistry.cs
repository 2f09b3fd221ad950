using System.Collections.Concurrent;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Server.Cluster;

namespace Parley.Server.Core;

/// <summary>
/// Who holds which name, for which identity, and which sessions are online here. A name is held
/// under its <see cref="NameHolder.Skeleton"/>, so that no two names that look alike are held at
/// once; a guest's name stays held for its identity through a grace period after its connection
/// ends. In a cluster the name is also leased cluster-wide through the backplane (the grace period
/// too), so it is unique across every node.
/// </summary>
/// <remarks>Lock order: the registry's lock is never held while calling out (sessions, backplane, timers' callbacks).</remarks>
public sealed class SessionRegistry
{
    private readonly TimeProvider _time;
    private readonly INameDirectory _directory;
    private readonly Lock _lock = new();
    // by skeleton: names held by sessions here; on a single server also the guests in their grace period
    private readonly Dictionary<string, Hold> _names = new(StringComparer.Ordinal);
    // by identity: the sessions online here
    private readonly ConcurrentDictionary<string, ClientSession> _online = new(StringComparer.Ordinal);
    private readonly IConversationFeed _feed;

    /// <summary>
    /// Creates the registry of one server, or of one node of a cluster (<paramref name="directory"/> shares its names;
    /// <paramref name="feed"/> hears the direct messages of the users online here).
    /// </summary>
    public SessionRegistry(TimeProvider time, INameDirectory directory, IConversationFeed feed)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(feed);
        _time = time;
        _directory = directory;
        _feed = feed;
        directory.WatchLost(OnNameLost);
    }

    /// <summary>
    /// Claims a name for a session, on this server and (in a cluster) across the cluster. Fails when the
    /// name is held by anyone, unless <paramref name="takeOver"/> (the session proved it is the identity
    /// holding it): then an older session of it is closed and a grace period ends.
    /// </summary>
    /// <exception cref="InvalidOperationException">The cluster cannot be asked (its backplane is down).</exception>
    public async Task<bool> TryClaimAsync(NameHolder holder, ClientSession session, bool takeOver)
    {
        ArgumentNullException.ThrowIfNull(holder);
        ArgumentNullException.ThrowIfNull(session);
        ClientSession? replaced = null;
        Hold? previous;
        lock (_lock)
        {
            _names.TryGetValue(holder.Skeleton, out previous);
            if (previous is not null)
            {
                if (!takeOver || previous.Holder.Identity != holder.Identity)
                {
                    return false;
                }
                replaced = previous.Session;
                previous.Grace?.Dispose();
            }
            _names[holder.Skeleton] = new Hold(holder, session);
        }
        NameClaim claim;
        try
        {
            claim = await _directory.TryClaimAsync(holder.Skeleton, session, holder.Identity, holder.Details, takeOver).ConfigureAwait(false);
        }
        catch
        {
            Restore(holder.Skeleton, session, previous);
            throw;
        }
        if (!claim.Claimed)
        {
            Restore(holder.Skeleton, session, previous);
            return false;
        }
        Task heard;
        lock (_lock)
        {
            // heard from the identity's first session here on; decided under the lock, so that hearing and
            // stopping reach the feed in the order of the changes
            var first = !_online.ContainsKey(holder.Identity);
            _online[holder.Identity] = session;
            heard = first ? _feed.HearAsync(FeedTopics.User(holder.Identity)) : Task.CompletedTask;
        }
        // the direct messages published from now on reach this server before its welcome lists them
        await heard.ConfigureAwait(false);
        if (replaced is not null && replaced != session)
        {
            replaced.MarkTakenOver();
            replaced.Connection.Close(TakenOverFrame());
        }
        return true;
    }

    /// <summary>
    /// Gives up the name <paramref name="session"/> holds, if it still does. A guest's name stays held for
    /// its identity for <paramref name="keep"/> (its grace period); zero frees it at once.
    /// </summary>
    public void Release(ClientSession session, TimeSpan keep)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Holder is not { } holder)
        {
            return;
        }
        lock (_lock)
        {
            if (_online.TryRemove(new KeyValuePair<string, ClientSession>(holder.Identity, session)))
            {
                _feed.StopHearing(FeedTopics.User(holder.Identity));
            }
            if (!_names.TryGetValue(holder.Skeleton, out var hold) || hold.Session != session)
            {
                return;
            }
            // shared names keep their grace period where they are shared
            if (keep > TimeSpan.Zero && !_directory.IsShared)
            {
                hold.Session = null;
                hold.Grace = _time.CreateTimer(_ => EndGrace(holder.Skeleton, hold), null, keep, Timeout.InfiniteTimeSpan);
            }
            else
            {
                _names.Remove(holder.Skeleton);
            }
        }
        _directory.Release(holder.Skeleton, session, keep);
    }

    /// <summary>Who holds the name with skeleton <paramref name="skeleton"/>, here or on any node, online or in a grace period; null when nobody does.</summary>
    /// <exception cref="InvalidOperationException">The cluster cannot be asked (its backplane is down).</exception>
    public async ValueTask<NameHolder?> FindAsync(string skeleton)
    {
        lock (_lock)
        {
            if (_names.TryGetValue(skeleton, out var hold))
            {
                return hold.Holder;
            }
        }
        if (await _directory.FindAsync(skeleton).ConfigureAwait(false) is not { } held)
        {
            return null;
        }
        return NameHolder.FromDetails(held.Identity, skeleton, held.Details);
    }

    /// <summary>The session of <paramref name="identity"/> online on this server, if any.</summary>
    public ClientSession? FindOnline(string identity) => _online.TryGetValue(identity, out var session) ? session : null;

    private void Restore(string skeleton, ClientSession session, Hold? previous)
    {
        lock (_lock)
        {
            if (_names.TryGetValue(skeleton, out var hold) && hold.Session == session)
            {
                if (previous is null)
                {
                    _names.Remove(skeleton);
                }
                else
                {
                    _names[skeleton] = previous;
                }
            }
        }
    }

    private void EndGrace(string skeleton, Hold hold)
    {
        lock (_lock)
        {
            if (_names.TryGetValue(skeleton, out var current) && current == hold && hold.Session is null)
            {
                _names.Remove(skeleton);
            }
        }
        hold.Grace?.Dispose();
    }

    // another node (or this one) took the name over for a newer session of its identity
    private void OnNameLost(string skeleton, string holder)
    {
        ClientSession? lost = null;
        lock (_lock)
        {
            if (_names.TryGetValue(skeleton, out var hold) && hold.Session is { } session && _directory.IsHolder(holder, session))
            {
                lost = session;
                _names.Remove(skeleton);
            }
        }
        if (lost is not null)
        {
            lost.MarkTakenOver();
            lost.Connection.Close(TakenOverFrame());
        }
    }

    private static ErrorFrame TakenOverFrame() => new()
    {
        Code = ErrorCodes.UsernameTaken,
        Message = "You signed in again from somewhere else; this connection is closed.",
    };

    private sealed class Hold(NameHolder holder, ClientSession? session)
    {
        public NameHolder Holder { get; } = holder;
        public ClientSession? Session { get; set; } = session;
        public ITimer? Grace { get; set; }
    }
}
