namespace Parley.Server.Core;

/// <summary>The rooms of this server alone: its members are everyone there is.</summary>
public sealed class LocalRoomDirectory(RoomRegistry rooms) : IRoomDirectory
{
    /// <inheritdoc />
    public bool IsReachable => true;

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> MembersAsync(string room) => Task.FromResult(Members(rooms, room));

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, int>> CountsAsync() => Task.FromResult(Counts(rooms));

    /// <inheritdoc />
    public Task RecordedAsync() => Task.CompletedTask;

    /// <summary>The names of the members of <paramref name="room"/> connected to this server.</summary>
    public static IReadOnlyList<string> Members(RoomRegistry rooms, string room)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        var users = new List<string>();
        foreach (var member in rooms.Find(room)?.Members ?? [])
        {
            if (member.User is { } user)
            {
                users.Add(user);
            }
        }
        return users;
    }

    /// <summary>This server's occupied rooms and their members connected here.</summary>
    public static IReadOnlyDictionary<string, int> Counts(RoomRegistry rooms)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        return rooms.Occupied().ToDictionary(r => r.Name, r => r.Members.Length, StringComparer.Ordinal);
    }
}
