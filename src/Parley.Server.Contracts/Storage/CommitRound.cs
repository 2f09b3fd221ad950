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
/// its socket goes on asynchronously) and must not throw.
/// </remarks>
public static class CommitRound
{
    // below this many items a round is one work item: splitting costs more than it saves
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

    /// <summary>Opens a round on this thread; disposing it starts what was deferred.</summary>
    public static Scope Open()
    {
        if (t_open)
        {
            // a round inside a round: the outer one starts everything
            return default;
        }
        t_open = true;
        return new Scope(owner: true);
    }

    private static void Close()
    {
        t_open = false;
        var deferred = t_deferred;
        if (deferred is null || deferred.Count == 0)
        {
            return;
        }
        var chunks = Math.Clamp((deferred.Count + ItemsPerChunk - 1) / ItemsPerChunk, 1, Environment.ProcessorCount);
        var start = 0;
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            // spread the remainder over the first chunks
            var count = (deferred.Count - start) / (chunks - chunk);
            ThreadPool.UnsafeQueueUserWorkItem(Chunk.Take(deferred, start, count), preferLocal: false);
            start += count;
        }
        deferred.Clear();
        if (deferred.Capacity > 4096)
        {
            // a burst's list does not stay grown on the writer's thread
            deferred.Capacity = 4096;
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

    // a share of a round's items, run one after the other on a pool thread
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
            for (var i = 0; i < _count; i++)
            {
                items[i].Execute();
            }
            ArrayPool<IThreadPoolWorkItem>.Shared.Return(items, clearArray: true);
        }
    }
}
