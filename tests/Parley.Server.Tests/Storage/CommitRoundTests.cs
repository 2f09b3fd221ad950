using Parley.Server.Storage;
using Parley.Testing;

namespace Parley.Server.Tests.Storage;

/// <summary>
/// The work a batch's commit callbacks start: held while the round is open on the writer's thread,
/// started once when it closes, every item exactly once however the round is split.
/// </summary>
public sealed class CommitRoundTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1000)]
    public async Task EveryDeferredItemRunsOnceAfterTheRoundCloses(int count)
    {
        var items = Enumerable.Range(0, count).Select(_ => new CountingItem()).ToArray();
        var outside = new CountingItem();

        await using (await HeldRound.OpenAsync(() => Assert.All(items, item => Assert.True(CommitRound.TryDefer(item)))))
        {
            // work queued after the round's has run; the round's waits for its close
            ThreadPool.UnsafeQueueUserWorkItem(outside, preferLocal: false);
            await outside.FirstRun.WaitAsync(Waits.Frame);
            Assert.All(items, item => Assert.Equal(0, item.Runs));
        }
        await Task.WhenAll(items.Select(item => item.FirstRun)).WaitAsync(Waits.Frame);

        Assert.All(items, item => Assert.Equal(1, item.Runs));
    }

    [Theory]
    [InlineData(1, 2, 1)]
    [InlineData(127, 2, 1)]
    [InlineData(128, 2, 2)]
    [InlineData(1000, 2, 2)]
    [InlineData(1000, 4, 4)]
    [InlineData(1000, 64, 15)]
    public void ARoundIsSplitIntoAtMostOneWorkItemPerProcessor(int count, int processors, int chunks) =>
        Assert.Equal(chunks, CommitRound.ChunkCount(count, processors));

    [Fact]
    public async Task ARoundInsideARoundStartsNothingUntilTheOuterOneCloses()
    {
        var item = new CountingItem();

        using (CommitRound.Open())
        {
            using (CommitRound.Open())
            {
                Assert.True(CommitRound.TryDefer(item));
            }
            Assert.True(CommitRound.TryDefer(new CountingItem()));
            Assert.Equal(0, item.Runs);
        }
        await item.FirstRun.WaitAsync(Waits.Frame);

        Assert.Equal(1, item.Runs);
    }

    [Fact]
    public void NothingIsDeferredOnAThreadWithoutARound()
    {
        var deferredElsewhere = true;

        Assert.False(CommitRound.TryDefer(new CountingItem()));
        using (CommitRound.Open())
        {
            // the round is the writer thread's own: another thread starts its work itself
            var other = new Thread(() => deferredElsewhere = CommitRound.TryDefer(new CountingItem()));
            other.Start();
            other.Join();
        }

        Assert.False(deferredElsewhere);
        Assert.False(CommitRound.TryDefer(new CountingItem()));
    }

    private sealed class CountingItem : IThreadPoolWorkItem
    {
        private readonly TaskCompletionSource _ran = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public Task FirstRun => _ran.Task;

        public void Execute()
        {
            Interlocked.Increment(ref _runs);
            _ran.TrySetResult();
        }
    }
}
