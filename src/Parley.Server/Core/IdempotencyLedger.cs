using System.Collections.Concurrent;
using Parley.Server.Storage;

namespace Parley.Server.Core;

/// <summary>
/// Guarantee 5: a send that repeats an id gets its original ack. Sends in flight are tracked until
/// committed; recent acks are kept in memory (bounded), older ones are found in the store.
/// </summary>
public sealed class IdempotencyLedger(int capacity)
{
    private readonly ConcurrentDictionary<(string User, string Id), SendOperation> _inFlight = new();
    private readonly Dictionary<(string User, string Id), StoredMessage> _recent = [];
    private readonly Queue<(string User, string Id)> _order = new();
    private readonly Lock _lock = new();

    /// <summary>Starts tracking a send; false (and the send already in flight) if its id is in flight.</summary>
    public bool TryBegin(SendOperation operation, out SendOperation existing)
    {
        existing = _inFlight.GetOrAdd((operation.SenderKey, operation.ClientId), operation);
        return ReferenceEquals(existing, operation);
    }

    /// <summary>The ack of a recently committed send with this id, if still in memory.</summary>
    public StoredMessage? FindRecent(string userKey, string id)
    {
        lock (_lock)
        {
            return _recent.TryGetValue((userKey, id), out var message) ? message : null;
        }
    }

    /// <summary>Moves a send from in flight to recent.</summary>
    public void Complete(SendOperation operation, StoredMessage message)
    {
        var key = (operation.SenderKey, operation.ClientId);
        lock (_lock)
        {
            if (_recent.TryAdd(key, message))
            {
                _order.Enqueue(key);
                while (_order.Count > capacity)
                {
                    _recent.Remove(_order.Dequeue());
                }
            }
        }
        _inFlight.TryRemove(new KeyValuePair<(string, string), SendOperation>(key, operation));
    }

    /// <summary>Forgets a send that failed: its id may be tried again.</summary>
    public void Abandon(SendOperation operation) =>
        _inFlight.TryRemove(new KeyValuePair<(string, string), SendOperation>((operation.SenderKey, operation.ClientId), operation));
}
