namespace Parley.Server.Limits;

/// <summary>At most <see cref="LimitOptions.RegistrationsPerAddressHourly"/> accounts registered from one address in an hour: against farming names.</summary>
public sealed class RegistrationLimit(LimitOptions options, TimeProvider time)
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _registered = new(StringComparer.Ordinal);

    /// <summary>Null when <paramref name="address"/> may register now, else how long until it may.</summary>
    public TimeSpan? MustWait(string address)
    {
        if (options.Disabled)
        {
            return null;
        }
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_registered.TryGetValue(address, out var times))
            {
                return null;
            }
            while (times.Count > 0 && times.Peek() <= now - Hour)
            {
                times.Dequeue();
            }
            if (times.Count == 0)
            {
                _registered.Remove(address);
                return null;
            }
            return times.Count >= options.RegistrationsPerAddressHourly ? times.Peek() + Hour - now : null;
        }
    }

    /// <summary>An account was registered from <paramref name="address"/>.</summary>
    public void Registered(string address)
    {
        if (options.Disabled)
        {
            return;
        }
        lock (_lock)
        {
            if (!_registered.TryGetValue(address, out var times))
            {
                _registered[address] = times = new Queue<DateTimeOffset>();
            }
            times.Enqueue(time.GetUtcNow());
        }
    }
}
