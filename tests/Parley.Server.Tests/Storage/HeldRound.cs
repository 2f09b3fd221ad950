using Parley.Server.Storage;
using Parley.Testing;

namespace Parley.Server.Tests.Storage;

/// <summary>
/// A <see cref="CommitRound"/> held open on a thread of its own, as a store's writer holds one while a
/// batch's callbacks run: the test awaits what it likes meanwhile, then closes the round.
/// </summary>
internal sealed class HeldRound : IAsyncDisposable
{
    private readonly ManualResetEventSlim _release = new();
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HeldRound(Action insideRound)
    {
        var thread = new Thread(() =>
        {
            try
            {
                using (CommitRound.Open())
                {
                    insideRound();
                    _opened.TrySetResult();
                    _release.Wait(Waits.Long);
                }
                _closed.TrySetResult();
            }
            catch (Exception error)
            {
                _opened.TrySetException(error);
                _closed.TrySetException(error);
            }
        })
        {
            IsBackground = true,
            Name = "held-commit-round",
        };
        thread.Start();
    }

    /// <summary>Opens a round on a new thread and runs <paramref name="insideRound"/> in it.</summary>
    public static async Task<HeldRound> OpenAsync(Action insideRound)
    {
        var round = new HeldRound(insideRound);
        await round._opened.Task.WaitAsync(Waits.Frame);
        return round;
    }

    /// <summary>Closes the round: what was deferred in it starts.</summary>
    public Task CloseAsync()
    {
        _release.Set();
        return _closed.Task.WaitAsync(Waits.Frame);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _release.Dispose();
    }
}
