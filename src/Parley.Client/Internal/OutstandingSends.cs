namespace Parley.Client.Internal;

/// <summary>
/// The ledger of sends not yet acknowledged, in the order they were sent. After a reconnect every one of
/// them is written again in that order, with its original id: the server answers a repeated id with the
/// original ack, so nothing is lost and nothing doubled. Not thread-safe: the client holds its lock.
/// </summary>
internal sealed class OutstandingSends
{
    private readonly LinkedList<PendingSend> _order = new();
    private readonly Dictionary<string, LinkedListNode<PendingSend>> _byId = new(StringComparer.Ordinal);

    public int Count => _byId.Count;

    /// <summary>Records a send after every send recorded before it.</summary>
    /// <exception cref="ArgumentException">A send with the same id is outstanding.</exception>
    public void Add(PendingSend send)
    {
        if (_byId.ContainsKey(send.Id))
        {
            throw new ArgumentException($"A send with id \"{send.Id}\" is already outstanding.", nameof(send));
        }
        _byId.Add(send.Id, _order.AddLast(send));
    }

    /// <summary>Takes out the send with this id, when its reply has come.</summary>
    public bool TryTake(string id, out PendingSend send)
    {
        if (_byId.Remove(id, out var node))
        {
            _order.Remove(node);
            send = node.Value;
            return true;
        }
        send = null!;
        return false;
    }

    /// <summary>Takes out this very send (its caller gave up waiting); false if it was already settled.</summary>
    public bool Remove(PendingSend send) =>
        _byId.TryGetValue(send.Id, out var node) && ReferenceEquals(node.Value, send) && TryTake(send.Id, out _);

    /// <summary>The sends in the order they were first sent: the order to write them again.</summary>
    public IReadOnlyList<PendingSend> InOrder() => [.. _order];

    /// <summary>Takes out every send, in order, to fail them.</summary>
    public IReadOnlyList<PendingSend> TakeAll()
    {
        var all = InOrder();
        _order.Clear();
        _byId.Clear();
        return all;
    }
}
