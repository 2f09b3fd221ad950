namespace Parley.Server.Core;

/// <summary>
/// Runs password hashing, hundreds of milliseconds of CPU each, on threads of its own and at most one
/// per core at a time, so that a burst of sign-ins never holds the thread pool's threads, which read
/// and write every connection (the server keeps that pool small: hill climbing is off). At most
/// <c>maxWaiting</c> wait for a core: past that a hash is refused at once, so that hashing cannot be
/// made into a weapon that piles work without bound.
/// </summary>
/// <param name="maxWaiting">How many runs may wait for a core; <see cref="int.MaxValue"/> for no bound.</param>
/// <param name="metrics">Where each hash done is counted.</param>
internal sealed class PasswordWork(int maxWaiting, Diagnostics.ParleyMetrics metrics)
{
    private readonly SemaphoreSlim _slots = new(MaxConcurrent, MaxConcurrent);
    private int _admitted;

    /// <summary>How many hashes run at once.</summary>
    public static int MaxConcurrent { get; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Runs <paramref name="work"/> on a dedicated thread once a slot is free; null, at once, when too many wait.</summary>
    public Task<T>? TryRunAsync<T>(Func<T> work)
    {
        if (Interlocked.Increment(ref _admitted) > MaxConcurrent + (long)maxWaiting)
        {
            Interlocked.Decrement(ref _admitted);
            return null;
        }
        return RunAdmittedAsync(work);
    }

    private async Task<T> RunAdmittedAsync<T>(Func<T> work)
    {
        try
        {
            await _slots.WaitAsync().ConfigureAwait(false);
            try
            {
                var result = await Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
                    .ConfigureAwait(false);
                metrics.PasswordHashed();
                return result;
            }
            finally
            {
                _slots.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _admitted);
        }
    }
}
