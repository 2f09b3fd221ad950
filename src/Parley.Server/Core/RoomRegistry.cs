using System.Collections.Concurrent;
using Parley.Server.Storage;

namespace Parley.Server.Core;

/// <summary>The rooms of this server, each with its members online.</summary>
/// <remarks>
/// A room stays in memory while it has a member or a message (a room is small), so its last seq is read
/// from the store only once, when nobody on this server can be sending to it yet; one left with neither is
/// freed, in memory and in the store, so that rooms made and left cannot pile up. A room new to the store
/// is created there only if no room looks like it (<see cref="RoomLooksLikeAnotherException"/>). The rooms
/// with members here are indexed apart, for <c>rooms</c>. In a cluster a room is loaded only while it has a
/// member here (<see cref="IConversationFeed.ReleasesIdleRooms"/>): a loaded room is heard from the other nodes,
/// and one heard by no member costs this node for nothing; the sequencer keeps its order when it comes back.
/// </remarks>
public sealed class RoomRegistry(IChatStore store, IConversationFeed feed)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Room>>> _rooms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Room> _occupied = new(StringComparer.Ordinal);

    /// <summary>
    /// Makes <paramref name="session"/> a member of the room (created if need be); returns the room's last seq
    /// before the join.
    /// </summary>
    /// <exception cref="RoomLooksLikeAnotherException">A new room whose name looks like a room that exists.</exception>
    public async Task<long> JoinAsync(string name, ClientSession session)
    {
        while (true)
        {
            var room = await GetOrCreateAsync(name).ConfigureAwait(false);
            if (room.Join(session) is { } lastSeq)
            {
                _occupied[name] = room;
                return lastSeq;
            }
            // freed between the look-up and the join: the next look-up makes it anew
        }
    }

    /// <summary>Takes <paramref name="session"/> out of the room; a room left with no member and no message is freed.</summary>
    public void Leave(string name, ClientSession session)
    {
        if (Find(name) is not { } room || !room.Leave(session, out var retired))
        {
            return;
        }
        if (room.Members.Length == 0)
        {
            _occupied.TryRemove(new KeyValuePair<string, Room>(name, room));
            // a join that came meanwhile is in again
            if (room.Members.Length > 0)
            {
                _occupied[name] = room;
            }
        }
        if (retired && _rooms.TryRemove(name, out _))
        {
            feed.StopHearing(FeedTopics.Room(name));
            if (room.LastSeq == 0)
            {
                _ = ForgetAsync(name);
            }
        }
    }

    // a room left behind in the store is harmless (its name stays taken): a failure here is not worth more
    private async Task ForgetAsync(string name)
    {
        try
        {
            await store.ForgetRoomAsync(name).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
        }
    }

    /// <summary>The rooms with a member on this server.</summary>
    public IEnumerable<Room> Occupied() => _occupied.Values;

    /// <summary>The room, created on first use.</summary>
    public Task<Room> GetOrCreateAsync(string room) =>
        _rooms.GetOrAdd(room, name => new Lazy<Task<Room>>(() => LoadAsync(name))).Value;

    /// <summary>The room if it exists in memory and has finished loading.</summary>
    public Room? Find(string room) =>
        _rooms.TryGetValue(room, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully ? lazy.Value.Result : null;

    /// <summary>Every loaded room.</summary>
    public IEnumerable<Room> All()
    {
        foreach (var lazy in _rooms.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                yield return lazy.Value.Result;
            }
        }
    }

    private async Task<Room> LoadAsync(string name)
    {
        // heard before its last seq is read: every message after that seq reaches this node
        await feed.HearAsync(FeedTopics.Room(name)).ConfigureAwait(false);
        try
        {
            var holder = await store.ClaimRoomAsync(name, Protocol.Names.SkeletonOf(name)).ConfigureAwait(false);
            if (holder != name)
            {
                throw new RoomLooksLikeAnotherException(name, holder);
            }
            var newest = await store.ReadHistoryAsync(ConversationKeys.ForRoom(name), before: null, after: null, limit: 1).ConfigureAwait(false);
            return new Room(name, newest.Messages.Count == 0 ? 0 : newest.Messages[^1].Seq, feed.ReleasesIdleRooms);
        }
        catch
        {
            // a failed load must not stick: the next join tries again
            _rooms.TryRemove(name, out _);
            feed.StopHearing(FeedTopics.Room(name));
            throw;
        }
    }
}

/// <summary>A new room's name looks like that of a room that exists (the same confusable skeleton).</summary>
public sealed class RoomLooksLikeAnotherException(string room, string existing)
    : Exception($"{room} looks like {existing}, which exists.")
{
    /// <summary>The room that exists.</summary>
    public string Existing { get; } = existing;
}
