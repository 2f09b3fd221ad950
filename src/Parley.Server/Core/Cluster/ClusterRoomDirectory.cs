using Parley.Server.Cluster;

namespace Parley.Server.Core.Cluster;

/// <summary>
/// Every node's rooms, as the backplane keeps them; while the backplane cannot say, this node's own, so that
/// <c>who</c> and <c>rooms</c> still answer.
/// </summary>
public sealed class ClusterRoomDirectory(IClusterBackplane backplane, RoomRegistry rooms) : IRoomDirectory
{
    /// <inheritdoc />
    public bool IsReachable => backplane.IsConnected;

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> MembersAsync(string room)
    {
        try
        {
            return await backplane.RoomMembersAsync(room).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            return LocalRoomDirectory.Members(rooms, room);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, int>> CountsAsync()
    {
        try
        {
            return await backplane.RoomCountsAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            return LocalRoomDirectory.Counts(rooms);
        }
    }

    /// <inheritdoc />
    public Task RecordedAsync() => backplane.RecordedAsync();
}
