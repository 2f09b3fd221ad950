using System.Buffers;

namespace Parley.Server.Core;

/// <summary>
/// The connections a commit's frames went to (acks, messages), whose writers start together once
/// the whole commit has been handed out (<see cref="Flush"/>): a member gets all of a commit's
/// messages, and a sender all its acks, in one write, and the thread pool gets a few work items per
/// commit instead of one per delivery.
/// </summary>
/// <remarks>
/// Made and used by one thread at a time (the commit pipeline's). The connections are split over
/// at most one pool work item per processor; each runs its share one after the other, so a writer
/// must return quickly (one that would wait for its socket goes on asynchronously).
/// </remarks>
public sealed class DeliveryBatch
{
    // one more work item for every this many connections, up to one per processor
    private const int ConnectionsPerWorkItem = 64;

    private readonly List<IThreadPoolWorkItem> _writers = [];

    /// <summary>How many connections wait for their writer.</summary>
    public int Count => _writers.Count;

    /// <summary>Adds a connection whose writer must start once the batch is handed out.</summary>
    public void Add(IThreadPoolWorkItem writer) => _writers.Add(writer);

    /// <summary>How many work items <paramref name="count"/> writers become on <paramref name="processors"/> processors.</summary>
    internal static int WorkItemCount(int count, int processors) => Math.Clamp(count / ConnectionsPerWorkItem, 1, processors);

    /// <summary>Starts every writer gathered, and empties the batch for the next commit.</summary>
    public void Flush()
    {
        var count = _writers.Count;
        if (count == 0)
        {
            return;
        }
        var items = WorkItemCount(count, Environment.ProcessorCount);
        var start = 0;
        for (var item = 0; item < items; item++)
        {
            // equal shares, the last ones one larger when the count does not divide
            var share = (count - start) / (items - item);
            ThreadPool.UnsafeQueueUserWorkItem(Share.Take(_writers, start, share), preferLocal: false);
            start += share;
        }
        _writers.Clear();
        if (_writers.Capacity > 4096)
        {
            // a burst's list does not stay grown
            _writers.Capacity = 4096;
        }
    }

    // a share of the writers, started one after the other on a pool thread; one that throws takes the
    // process down, as any work item on the pool does
    private sealed class Share : IThreadPoolWorkItem
    {
        private IThreadPoolWorkItem[] _writers = [];
        private int _count;

        public static Share Take(List<IThreadPoolWorkItem> writers, int start, int count)
        {
            var share = new Share { _writers = ArrayPool<IThreadPoolWorkItem>.Shared.Rent(count), _count = count };
            writers.CopyTo(start, share._writers, 0, count);
            return share;
        }

        public void Execute()
        {
            var writers = _writers;
            try
            {
                for (var i = 0; i < _count; i++)
                {
                    writers[i].Execute();
                }
            }
            finally
            {
                ArrayPool<IThreadPoolWorkItem>.Shared.Return(writers, clearArray: true);
            }
        }
    }
}
