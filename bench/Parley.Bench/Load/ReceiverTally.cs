namespace Parley.Bench.Load;

/// <summary>
/// What one receiver got from each sender of its room: counts, and arrivals that were not the next
/// in its sender's sequence (a repeat is doubled, a jump is out of order or a loss). Updated only by
/// the connection's receive loop.
/// </summary>
internal sealed class ReceiverTally(int room, int ownSlot, int senders)
{
    private readonly long[] _last = new long[senders];
    private readonly long[] _count = new long[senders];

    public int Room { get; } = room;

    /// <summary>This user's own sender slot, or -1.</summary>
    public int OwnSlot { get; } = ownSlot;

    public long Doubled { get; private set; }

    public long OutOfOrder { get; private set; }

    public long Foreign { get; private set; }

    /// <returns>False for a message that is not counted (its own, echoed back by Redis).</returns>
    public bool Record(int slot, long seq)
    {
        if (slot == OwnSlot)
        {
            return false;
        }
        if ((uint)slot >= (uint)_last.Length)
        {
            Foreign++;
            return false;
        }
        var last = _last[slot];
        if (seq <= last)
        {
            Doubled++;
            return true;
        }
        if (seq != last + 1)
        {
            OutOfOrder++;
        }
        _last[slot] = seq;
        _count[slot]++;
        return true;
    }

    public long CountFrom(int slot) => _count[slot];
}
