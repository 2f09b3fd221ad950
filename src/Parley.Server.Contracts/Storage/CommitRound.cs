using System.Buffers;

namespace Parley.Server.Storage;

/// <summary>
/// The work that a batch's commit callbacks start, gathered while they run and started together when
/// the last one is done: a connection's writer starts once per commit, not once per message, and the
/// thread pool gets a few work items instead of one per delivery.
/// </summary>
/// <remarks>
/// A round belongs to the thread that runs the callbacks (the store's writer). Work deferred on any
/// other thread is not taken (<see cref="TryDefer"/> answers false) and the caller starts it itself.
/// The gathered items are split over at most one pool work item per processor; each runs its items
/// one after the other, so an item must return quickly (a connection's writer that would wait for
/// its socket goes on asynchronously) and must not throw. Nothing a callback does may wait for
/// deferred work: it starts only after the last callback.
/// </remarks>
public static class CommitRound
{
    // a round is split into one more work item for every this many items, up to one per processor
    private const int ItemsPerChunk = 64;

    [ThreadStatic]
    private static List<IThreadPoolWorkItem>? t_deferred;

    [ThreadStatic]
    private static bool t_open;

    /// <summary>Defers <paramref name="item"/> to the end of this thread's round, if one is open.</summary>
    public static bool TryDefer(IThreadPoolWorkItem item)
    {
        if (!t_open)
        {
            return false;
        }
        (t_deferred ??= []).Add(item);
        return true;
    }

    /// <summary>
    /// Opens a round on this thread; disposing it, on the same thread, starts what was deferred.
    /// A round opened inside another is a no-op: the outer one starts everything when it closes.
    /// </summary>
    public static Scope Open()
    {
        if (t_open)
        {
            return default;
        }
        t_open = true;
        return new Scope(owner: true);
    }

    /// <summary>How many work items a round of <paramref name="count"/> items becomes on <paramref name="processors"/> processors.</summary>
    internal static int ChunkCount(int count, int processors) => Math.Clamp(count / ItemsPerChunk, 1, processors);

    private static void Close()
    {
        t_open = false;
        var deferred = t_deferred;
        if (deferred is null || deferred.Count == 0)
        {
            return;
        }
        // the list is the round's alone from here: whatever happens below, no item is started twice
        t_deferred = null;
        var chunks = ChunkCount(deferred.Count, Environment.ProcessorCount);
        var start = 0;
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            // equal shares, the last ones one larger when the count does not divide
            var count = (deferred.Count - start) / (chunks - chunk);
            ThreadPool.UnsafeQueueUserWorkItem(Chunk.Take(deferred, start, count), preferLocal: false);
            start += count;
        }
        deferred.Clear();
        if (deferred.Capacity <= 4096)
        {
            // kept for the next round; a burst's list does not stay grown on the writer's thread
            t_deferred = deferred;
        }
    }

    /// <summary>An open round; disposing it closes the round and starts its work.</summary>
    public readonly struct Scope(bool owner) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose()
        {
            if (owner)
            {
                Close();
            }
        }
    }

    // a share of a round's items, run one after the other on a pool thread; an item that throws
    // takes the process down, as any work item on the pool does
    private sealed class Chunk : IThreadPoolWorkItem
    {
        private IThreadPoolWorkItem[] _items = [];
        private int _count;

        public static Chunk Take(List<IThreadPoolWorkItem> items, int start, int count)
        {
            var chunk = new Chunk { _items = ArrayPool<IThreadPoolWorkItem>.Shared.Rent(count), _count = count };
            items.CopyTo(start, chunk._items, 0, count);
            return chunk;
        }

        public void Execute()
        {
            var items = _items;
            try
            {
                for (var i = 0; i < _count; i++)
                {
                    items[i].Execute();
                }
            }
            finally
            {
                ArrayPool<IThreadPoolWorkItem>.Shared.Return(items, clearArray: true);
            }
        }
    }
}
