namespace Parley.Server.Core;

/// <summary>
/// Runs password hashing, hundreds of milliseconds of CPU each, on threads of its own and at most one
/// per core at a time, so that a burst of sign-ins never holds the thread pool's threads, which read
/// and write every connection (the server keeps that pool small: hill climbing is off).
/// </summary>
internal static class PasswordWork
{
    /// <summary>How many hashes run at once.</summary>
    public static int MaxConcurrent { get; } = Math.Max(1, Environment.ProcessorCount);

    // after MaxConcurrent: static initializers run in the order they are written
    private static readonly SemaphoreSlim s_slots = new(MaxConcurrent, MaxConcurrent);

    /// <summary>Runs <paramref name="work"/> on a dedicated thread once a slot is free.</summary>
    public static async Task<T> RunAsync<T>(Func<T> work)
    {
        await s_slots.WaitAsync().ConfigureAwait(false);
        try
        {
            return await Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
                .ConfigureAwait(false);
        }
        finally
        {
            s_slots.Release();
        }
    }
}
