using Parley.Server.Core;
using Parley.Testing;

namespace Parley.Server.Tests.Core;

/// <summary>
/// The writers a commit's deliveries need: started only when the batch is flushed, every one exactly
/// once however the batch is split, and the batch empty again for the next commit.
/// </summary>
public sealed class DeliveryBatchTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1000)]
    public async Task EveryWriterStartsOnceWhenTheBatchIsFlushed(int count)
    {
        var writers = Enumerable.Range(0, count).Select(_ => new CountingItem()).ToArray();
        var outside = new CountingItem();
        var batch = new DeliveryBatch();

        foreach (var writer in writers)
        {
            batch.Add(writer);
        }
        // work queued after the batch's has run; the batch's waits for the flush
        ThreadPool.UnsafeQueueUserWorkItem(outside, preferLocal: false);
        await outside.FirstRun.WaitAsync(Waits.Frame);
        Assert.All(writers, writer => Assert.Equal(0, writer.Runs));
        batch.Flush();
        await Task.WhenAll(writers.Select(writer => writer.FirstRun)).WaitAsync(Waits.Frame);

        Assert.All(writers, writer => Assert.Equal(1, writer.Runs));
        Assert.Equal(0, batch.Count);
    }

    [Theory]
    [InlineData(1, 2, 1)]
    [InlineData(127, 2, 1)]
    [InlineData(128, 2, 2)]
    [InlineData(1000, 2, 2)]
    [InlineData(1000, 4, 4)]
    [InlineData(1000, 64, 15)]
    public void ABatchIsSplitIntoAtMostOneWorkItemPerProcessor(int count, int processors, int workItems) =>
        Assert.Equal(workItems, DeliveryBatch.WorkItemCount(count, processors));

    [Fact]
    public async Task AFlushedBatchStartsOnlyWhatWasAddedSince()
    {
        var first = new CountingItem();
        var second = new CountingItem();
        var batch = new DeliveryBatch();

        batch.Add(first);
        batch.Flush();
        await first.FirstRun.WaitAsync(Waits.Frame);
        batch.Add(second);
        batch.Flush();
        await second.FirstRun.WaitAsync(Waits.Frame);

        Assert.Equal(1, first.Runs);
        Assert.Equal(1, second.Runs);
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
