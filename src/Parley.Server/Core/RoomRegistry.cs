using System.Collections.Concurrent;
using Parley.Server.Storage;

namespace Parley.Server.Core;

/// <summary>The rooms this server has seen since it started, each with its members online.</summary>
/// <remarks>
/// A room stays in memory once created (a room is small), so its last seq is read from the store
/// only once, when nobody on this server can be sending to it yet; and a room new to the store is
/// created there only if no room looks like it (<see cref="RoomLooksLikeAnotherException"/>).
/// </remarks>
public sealed class RoomRegistry(IChatStore store)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Room>>> _rooms = new(StringComparer.Ordinal);

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
        try
        {
            var holder = await store.ClaimRoomAsync(name, Protocol.Names.SkeletonOf(name)).ConfigureAwait(false);
            if (holder != name)
            {
                throw new RoomLooksLikeAnotherException(name, holder);
            }
            var newest = await store.ReadHistoryAsync(ConversationKeys.ForRoom(name), before: null, after: null, limit: 1).ConfigureAwait(false);
            return new Room(name, newest.Messages.Count == 0 ? 0 : newest.Messages[^1].Seq);
        }
        catch
        {
            // a failed load must not stick: the next join tries again
            _rooms.TryRemove(name, out _);
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
