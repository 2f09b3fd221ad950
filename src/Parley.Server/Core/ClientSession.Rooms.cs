using Parley.Protocol;
using Parley.Protocol.Frames;

namespace Parley.Server.Core;

public sealed partial class ClientSession
{
    private async Task JoinAsync(JoinFrame join)
    {
        if (!TryReadRoom(join.Id, join.Room!, out var name))
        {
            return;
        }
        if (_joinBucket is not null && !_joinBucket.TryTake(out var retryAfterMs))
        {
            _server.Refusals.Refused(AddressKey, Limits.RefusalReasons.Joins);
            Fail(join.Id, ErrorCodes.RateLimited, "You are joining rooms too fast. Wait and join again.", retryAfterMs);
            return;
        }
        long seq;
        if (_rooms.Contains(name))
        {
            seq = (await _server.Rooms.GetOrCreateAsync(name).ConfigureAwait(false)).LastSeq;
        }
        else
        {
            try
            {
                seq = await EnterRoomAsync(name, Timestamps.TruncateToMilliseconds(_server.Time.GetUtcNow())).ConfigureAwait(false);
            }
            catch (RoomLooksLikeAnotherException lookalike)
            {
                Fail(join.Id, ErrorCodes.InvalidRoom, $"{name} looks like {lookalike.Existing}, which exists: join that one, or pick a name that does not look like it.");
                return;
            }
            await SaveRoomsAsync().ConfigureAwait(false);
            await _server.Directory.RecordedAsync().ConfigureAwait(false);
        }
        Reply(new JoinedFrame { Id = join.Id, Room = name, Users = await MembersOfAsync(name).ConfigureAwait(false), Seq = seq });
    }

    private async Task LeaveAsync(LeaveFrame leave)
    {
        if (!TryReadRoom(leave.Id, leave.Room!, out var name))
        {
            return;
        }
        if (!_rooms.Remove(name))
        {
            Fail(leave.Id, ErrorCodes.NotInRoom, $"You are not in {name}.");
            return;
        }
        _server.Rooms.Leave(name, this);
        _server.Fanout.PublishPresence(name, User!, UserKey!, PresenceEvents.Leave, Timestamps.TruncateToMilliseconds(_server.Time.GetUtcNow()));
        await SaveRoomsAsync().ConfigureAwait(false);
        await _server.Directory.RecordedAsync().ConfigureAwait(false);
        Reply(new LeftFrame { Id = leave.Id, Room = name });
    }

    private async Task WhoAsync(WhoRequestFrame who)
    {
        if (TryReadRoom(who.Id, who.Room!, out var name))
        {
            Reply(new WhoFrame { Id = who.Id, Room = name, Users = await MembersOfAsync(name).ConfigureAwait(false) });
        }
    }

    private async Task ListRoomsAsync(RoomsRequestFrame request)
    {
        var rooms = new List<RoomSummary>();
        var lobbyListed = false;
        var counts = await _server.Directory.CountsAsync().ConfigureAwait(false);
        foreach (var (room, members) in counts)
        {
            if (members > 0 || room == ProtocolLimits.Lobby)
            {
                rooms.Add(new RoomSummary { Room = room, Members = members });
                lobbyListed |= room == ProtocolLimits.Lobby;
            }
        }
        if (!lobbyListed)
        {
            rooms.Add(new RoomSummary { Room = ProtocolLimits.Lobby, Members = 0 });
        }
        rooms.Sort(static (a, b) => string.CompareOrdinal(a.Room, b.Room));
        Reply(new RoomsFrame { Id = request.Id, Rooms = rooms });
    }

    private async Task<List<string>> MembersOfAsync(string room)
    {
        List<string> users = [.. await _server.Directory.MembersAsync(room).ConfigureAwait(false)];
        users.Sort(StringComparer.OrdinalIgnoreCase);
        return users;
    }

    private bool TryReadRoom(string? id, string room, out string name)
    {
        if (Names.TryNormalizeRoom(room, out name))
        {
            return true;
        }
        Fail(id, ErrorCodes.InvalidRoom, "A room is '#' and 1 to 32 letters, digits, '_', '-' or '.', starting with a letter or digit.");
        return false;
    }

    // an account's rooms are stored on every join and leave, so that it rejoins them on hello
    private ValueTask SaveRoomsAsync() =>
        IsAccount ? _server.Store.SaveAccountRoomsAsync(Identity!, [.. _rooms]) : ValueTask.CompletedTask;
}
