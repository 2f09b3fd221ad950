using StackExchange.Redis;

namespace Parley.Server.Redis;

public sealed partial class RedisBackplane
{
    // A room's members: a hash of name key → "NODE\tNAME", and a set of the rooms that have a hash.
    // A member counts only while its name's lease is held by a connection of that node.

    /// <inheritdoc />
    public void SetRoomMember(string room, string nameKey, string user, bool present)
    {
        if (redis is not { IsConnected: true })
        {
            // what this node has is re-read from the live name leases, so a missed update only lasts until the next one
            return;
        }
        var database = Database();
        if (present)
        {
            database.HashSet(RoomKey(room), nameKey, $"{options.NodeName}\t{user}", flags: CommandFlags.FireAndForget);
            database.SetAdd(RoomsKey, room, CommandFlags.FireAndForget);
        }
        else
        {
            database.HashDelete(RoomKey(room), nameKey, CommandFlags.FireAndForget);
        }
    }

    /// <inheritdoc />
    public async Task RecordedAsync(CancellationToken cancellationToken = default)
    {
        if (redis is not { IsConnected: true })
        {
            return;
        }
        try
        {
            // Redis runs one connection's commands in order: once this answers, the records sent before it are in
            await Database().PingAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            // unreachable now: the records are re-read from the live name leases once it is back
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RoomMembersAsync(string room, CancellationToken cancellationToken = default) =>
        (await LiveMembersAsync(room, cancellationToken).ConfigureAwait(false)).Values.ToList();

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, int>> RoomCountsAsync(CancellationToken cancellationToken = default)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        RedisValue[] rooms;
        try
        {
            rooms = await Database().SetMembersAsync(RoomsKey).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            throw new InvalidOperationException("Redis is not reachable: the rooms cannot be listed.", error);
        }
        foreach (var room in rooms)
        {
            var members = await LiveMembersAsync(room!, cancellationToken).ConfigureAwait(false);
            if (members.Count > 0)
            {
                counts[room!] = members.Count;
            }
            else
            {
                // a room nobody is in any more leaves the set, so that listing rooms is not a walk of every room ever made;
                // a join meanwhile puts it back
                Database().SetRemove(RoomsKey, room, CommandFlags.FireAndForget);
            }
        }
        return counts;
    }

    private async Task<Dictionary<string, string>> LiveMembersAsync(string room, CancellationToken cancellationToken)
    {
        try
        {
            var database = Database();
            var entries = await database.HashGetAllAsync(RoomKey(room)).WaitAsync(cancellationToken).ConfigureAwait(false);
            var members = new Dictionary<string, string>(StringComparer.Ordinal);
            if (entries.Length == 0)
            {
                return members;
            }
            var holders = await database.StringGetAsync([.. entries.Select(e => NameKey(e.Name!))]).WaitAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < entries.Length; i++)
            {
                var value = (string)entries[i].Value!;
                var tab = value.IndexOf('\t', StringComparison.Ordinal);
                var node = value[..tab];
                var holder = (string?)holders[i];
                if (holder is not null && holder.StartsWith(node + "/", StringComparison.Ordinal))
                {
                    members[entries[i].Name!] = value[(tab + 1)..];
                }
                else
                {
                    // the node that recorded it is gone (its lease ran out): forget the record
                    database.HashDelete(RoomKey(room), entries[i].Name, CommandFlags.FireAndForget);
                }
            }
            return members;
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            throw new InvalidOperationException("Redis is not reachable: the room's members cannot be read.", error);
        }
    }

    private RedisKey RoomKey(string room) => options.Prefix + "room:" + room;

    private RedisKey RoomsKey => options.Prefix + "rooms";
}
