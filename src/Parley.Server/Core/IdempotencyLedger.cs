using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Parley.Server.Storage;

namespace Parley.Server.Core;

/// <summary>
/// Guarantee 5: a send that repeats an id gets its original ack. Sends in flight are tracked until
/// committed; recent acks are kept in memory (bounded), older ones are found in the store.
/// </summary>
public sealed class IdempotencyLedger(int capacity)
{
    // under _lock, as the rest: a concurrent dictionary would allocate a node for every send
    private readonly Dictionary<(string User, string Id), SendOperation> _inFlight = [];
    private readonly Dictionary<RecentKey, AckRecord> _recent = [];
    private readonly Queue<RecentKey> _order = new();
    private readonly Lock _lock = new();
    // users whose every stored id of the window is known to be in _recent (true), or being probed (false)
    private readonly Dictionary<string, bool> _knownNew = new(StringComparer.Ordinal);

    /// <summary>
    /// Starts tracking a send. False when its id is taken: by a send still in flight (<paramref name="inFlight"/>)
    /// or by one committed since the caller last looked (<paramref name="acked"/>, its original ack).
    /// </summary>
    /// <remarks>
    /// Checking the recent acks again here closes a race: a resend checked before its original
    /// committed, and the session awaited (the store, the recipient) before getting here.
    /// </remarks>
    public bool TryBegin(SendOperation operation, out SendOperation? inFlight, out AckRecord? acked)
    {
        var key = (operation.SenderKey, operation.ClientId);
        var recentKey = new RecentKey(operation.SenderKey, operation.IdDigest);
        inFlight = null;
        acked = null;
        lock (_lock)
        {
            if (_recent.TryGetValue(recentKey, out var ack))
            {
                acked = ack;
                return false;
            }
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_inFlight, key, out var exists);
            if (exists)
            {
                inFlight = slot;
                return false;
            }
            slot = operation;
            return true;
        }
    }

    /// <summary>The ack of a recently committed send with this id (its <see cref="DigestOf"/>), if still in memory.</summary>
    public AckRecord? FindRecent(string userKey, UInt128 idDigest)
    {
        var key = new RecentKey(userKey, idDigest);
        lock (_lock)
        {
            return _recent.TryGetValue(key, out var ack) ? ack : null;
        }
    }

    /// <summary>Moves a send from in flight to recent.</summary>
    public void Complete(SendOperation operation, StoredMessage message)
    {
        var key = new RecentKey(operation.SenderKey, operation.IdDigest);
        lock (_lock)
        {
            if (_recent.TryAdd(key, new AckRecord(message.Seq, message.Ts)))
            {
                _order.Enqueue(key);
                while (_order.Count > capacity)
                {
                    var evicted = _order.Dequeue();
                    _recent.Remove(evicted);
                    // its id now lives only in the store: the user's sends must be looked up again
                    _knownNew.Remove(evicted.User);
                }
            }
            RemoveInFlight(operation);
        }
    }

    /// <summary>Forgets a send that failed: its id may be tried again.</summary>
    public void Abandon(SendOperation operation)
    {
        lock (_lock)
        {
            RemoveInFlight(operation);
        }
    }

    // under _lock; only the operation itself, not a later send that reused its id
    private void RemoveInFlight(SendOperation operation)
    {
        var key = (operation.SenderKey, operation.ClientId);
        if (_inFlight.TryGetValue(key, out var tracked) && ReferenceEquals(tracked, operation))
        {
            _inFlight.Remove(key);
        }
    }

    /// <summary>
    /// True when a send id of this user that is not in memory cannot be a repeat, so the store need not
    /// be asked: set by <see cref="EndProbe"/> after the store said the user sent nothing in the window,
    /// cleared when one of the user's acks leaves memory and when the user's session ends.
    /// </summary>
    /// <remarks>Sound because a name is held by one session at a time: every later send of the user passes here.</remarks>
    public bool IsKnownNew(string userKey)
    {
        lock (_lock)
        {
            return _knownNew.TryGetValue(userKey, out var known) && known;
        }
    }

    /// <summary>Starts asking the store whether the user sent anything in the window.</summary>
    public void BeginProbe(string userKey)
    {
        lock (_lock)
        {
            _knownNew.TryAdd(userKey, false);
        }
    }

    /// <summary>
    /// Ends the probe: if the store had nothing and none of the user's acks left memory meanwhile,
    /// the user's ids not in memory are known to be new.
    /// </summary>
    public void EndProbe(string userKey, bool storeHasSends)
    {
        lock (_lock)
        {
            if (storeHasSends)
            {
                _knownNew.Remove(userKey);
            }
            else if (_knownNew.ContainsKey(userKey))
            {
                _knownNew[userKey] = true;
            }
        }
    }

    /// <summary>Forgets what is known of a user whose session ended: a next session asks the store again.</summary>
    public void Forget(string userKey)
    {
        lock (_lock)
        {
            _knownNew.Remove(userKey);
        }
    }

    /// <summary>
    /// What the ledger keeps of a send's id once it is acked: the first 128 bits of its SHA-256. Two ids
    /// of one user that share them are as likely as a guess of a random 128-bit key.
    /// </summary>
    public static UInt128 DigestOf(string id)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(MemoryMarshal.AsBytes(id.AsSpan()), hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    // A recent ack is kept under its user and a digest of its id, not the id: a string per send kept for
    // seconds lived through young collections, and ids were most of what each of them had to copy.
    private readonly record struct RecentKey(string User, UInt128 IdDigest);
}
