using Parley.Server.Core;
using Parley.Testing;

namespace Parley.Server.Tests.Core;

/// <summary>Password hashing runs beside the thread pool, never on it.</summary>
public sealed class PasswordWorkTests
{
    [Fact]
    public async Task HashingRunsOnAThreadOfItsOwnNotOnThePool()
    {
        var onPool = await PasswordWork.RunAsync(() => Thread.CurrentThread.IsThreadPoolThread);

        Assert.False(onPool);
    }

    [Fact]
    public async Task TheResultAndAnyFailureComeBackToTheCaller()
    {
        var hash = await PasswordWork.RunAsync(() => PasswordHasher.Hash("correct horse"));
        Assert.True(await PasswordWork.RunAsync(() => PasswordHasher.Verify("correct horse", hash)));
        Assert.False(await PasswordWork.RunAsync(() => PasswordHasher.Verify("wrong horse", hash)));

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => PasswordWork.RunAsync<bool>(() => throw new InvalidOperationException("broken")));
    }

    [Fact]
    public async Task ASlotIsFreedAfterEveryRunEvenAFailedOne()
    {
        // more runs than slots, half of them failing: if a slot leaked, the last ones would never start
        var runs = Enumerable.Range(0, PasswordWork.MaxConcurrent * 4).Select(i => PasswordWork.RunAsync(() =>
            i % 2 == 0 ? i : throw new InvalidOperationException("broken"))).ToArray();

        await Task.WhenAll(runs.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(Waits.Long);

        Assert.All(runs.Where((_, i) => i % 2 == 0), r => Assert.True(r.IsCompletedSuccessfully));
        Assert.All(runs.Where((_, i) => i % 2 == 1), r => Assert.True(r.IsFaulted));
    }
}
