namespace Parley.Testing;

/// <summary>How long a test waits for an awaited event before it fails. Generous: CI machines are slow and noisy.</summary>
public static class Waits
{
    /// <summary>For a frame or an event that should come promptly.</summary>
    public static TimeSpan Frame { get; } = TimeSpan.FromSeconds(15);

    /// <summary>For something that takes real work (a process start, a burst of messages).</summary>
    public static TimeSpan Long { get; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A <c>Parley:IdleTimeout</c> for tests that wait one out: short, but long enough for a hello on
    /// a cold, loaded machine (with 1 s, a first hello, its code not compiled yet, once outlasted it).
    /// </summary>
    public const string ShortIdleTimeout = "00:00:03";

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, asking again each time the thread pool comes back to it,
    /// for what the server shows only in a counter (no frame tells it); fails after <see cref="Frame"/>.
    /// </summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Frame);
        while (!condition())
        {
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException("The condition never held.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(10), CancellationToken.None);
        }
    }

    /// <summary>As <see cref="UntilAsync(Func{bool}, TimeSpan?)"/>, for a condition that must ask another process (Redis, PostgreSQL).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Frame);
        while (!await condition())
        {
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException("The condition never held.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(10), CancellationToken.None);
        }
    }
}
