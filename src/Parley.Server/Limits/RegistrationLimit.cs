namespace Parley.Server.Limits;

/// <summary>At most <see cref="LimitOptions.RegistrationsPerAddressHourly"/> accounts registered from one address in an hour: against farming names.</summary>
public sealed class RegistrationLimit(LimitOptions options, TimeProvider time)
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _registered = new(StringComparer.Ordinal);
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

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
        var now = time.GetUtcNow();
        lock (_lock)
        {
            // once an hour, the addresses that registered and never came back go: nothing else would take them out
            if (now - _lastSweep >= Hour)
            {
                _lastSweep = now;
                foreach (var (gone, _) in _registered.Where(pair => pair.Value.Last() <= now - Hour).ToList())
                {
                    _registered.Remove(gone);
                }
            }
            if (!_registered.TryGetValue(address, out var times))
            {
                _registered[address] = times = new Queue<DateTimeOffset>();
            }
            times.Enqueue(now);
        }
    }

    /// <summary>How many addresses it keeps times for.</summary>
    internal int AddressesKept
    {
        get
        {
            lock (_lock)
            {
                return _registered.Count;
            }
        }
    }
}
