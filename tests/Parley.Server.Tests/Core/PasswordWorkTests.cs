using Parley.Server.Core;
using Parley.Testing;

namespace Parley.Server.Tests.Core;

/// <summary>Password hashing runs beside the thread pool, never on it, and never piles up without bound.</summary>
public sealed class PasswordWorkTests
{
    private readonly PasswordWork _work = new(maxWaiting: int.MaxValue, StandaloneMetrics.Create());

    [Fact]
    public async Task HashingRunsOnAThreadOfItsOwnNotOnThePool()
    {
        var onPool = await _work.TryRunAsync(() => Thread.CurrentThread.IsThreadPoolThread)!;

        Assert.False(onPool);
    }

    [Fact]
    public async Task TheResultAndAnyFailureComeBackToTheCaller()
    {
        var hash = await _work.TryRunAsync(() => PasswordHasher.Hash("correct horse"))!;
        Assert.True(await _work.TryRunAsync(() => PasswordHasher.Verify("correct horse", hash))!);
        Assert.False(await _work.TryRunAsync(() => PasswordHasher.Verify("wrong horse", hash))!);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => _work.TryRunAsync<bool>(() => throw new InvalidOperationException("broken"))!);
    }

    [Fact]
    public async Task ASlotIsFreedAfterEveryRunEvenAFailedOne()
    {
        // more runs than slots, half of them failing: if a slot leaked, the last ones would never start
        var runs = Enumerable.Range(0, PasswordWork.MaxConcurrent * 4).Select(i => _work.TryRunAsync(() =>
            i % 2 == 0 ? i : throw new InvalidOperationException("broken"))!).ToArray();

        await Task.WhenAll(runs.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(Waits.Long);

        Assert.All(runs.Where((_, i) => i % 2 == 0), r => Assert.True(r.IsCompletedSuccessfully));
        Assert.All(runs.Where((_, i) => i % 2 == 1), r => Assert.True(r.IsFaulted));
    }

    [Fact]
    public async Task PastTheWaitingBoundARunIsRefusedAtOnceAndAdmittedAgainOnceOneEnds()
    {
        var work = new PasswordWork(maxWaiting: 2, StandaloneMetrics.Create());
        using var release = new ManualResetEventSlim();
        var held = Enumerable.Range(0, PasswordWork.MaxConcurrent + 2).Select(_ => work.TryRunAsync(() => release.Wait(Waits.Long))).ToList();

        Assert.All(held, Assert.NotNull);
        Assert.Null(work.TryRunAsync(() => true));

        release.Set();
        await Task.WhenAll(held!).WaitAsync(Waits.Long);
        Assert.True(await work.TryRunAsync(() => true)!);
    }
}
