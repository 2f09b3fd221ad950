using Parley.Protocol.Frames;

namespace Parley.Client.Internal;

/// <summary>
/// Requests other than <c>send</c> waiting for their reply, by id. They live only as long as the connection
/// they were written on: when it is lost they fail with <c>connection_lost</c>. Not thread-safe: the
/// client holds its lock.
/// </summary>
internal sealed class PendingRequests
{
    private readonly Dictionary<string, TaskCompletionSource<ServerFrame>> _byId = new(StringComparer.Ordinal);

    public TaskCompletionSource<ServerFrame> Add(string id)
    {
        var reply = new TaskCompletionSource<ServerFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        _byId.Add(id, reply);
        return reply;
    }

    public bool TryTake(string id, out TaskCompletionSource<ServerFrame> reply) => _byId.Remove(id, out reply!);

    public void Remove(string id) => _byId.Remove(id);

    public IReadOnlyList<TaskCompletionSource<ServerFrame>> TakeAll()
    {
        var all = _byId.Values.ToList();
        _byId.Clear();
        return all;
    }
}
