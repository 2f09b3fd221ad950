namespace Parley.Server.Limits;

/// <summary>
/// Keeps password guessing slow without locking an owner out. A failure is a wrong password for an account,
/// or a token the server does not know. After <see cref="LimitOptions.PasswordFailuresPerAccount"/> failures
/// for one account from one address, or <see cref="LimitOptions.PasswordFailuresPerAddress"/> from one
/// address over all accounts, that address's password for that account (or for any) waits out the window,
/// without the server computing a hash; the owner, elsewhere, signs in meanwhile at normal speed. An account
/// past <see cref="LimitOptions.PasswordFailuresPerAccountHourly"/> failures an hour from all addresses gets
/// at most one password check a second. Tokens are never held back.
/// </summary>
public sealed class PasswordGuessing(LimitOptions options, TimeProvider time)
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan SlowedCheckInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Address, string Account), Failures> _byAddressAndAccount = [];
    private readonly Dictionary<string, Failures> _byAddress = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Failures> _byAccount = new(StringComparer.Ordinal);

    /// <summary>
    /// Before checking a password for <paramref name="account"/> (its name key) from <paramref name="address"/>
    /// (an <see cref="AddressKey"/>): null when the check may run, else how long to wait before trying again.
    /// </summary>
    public TimeSpan? MustWait(string address, string account)
    {
        if (options.Disabled)
        {
            return null;
        }
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var wait = TimeSpan.Zero;
            if (_byAddressAndAccount.TryGetValue((address, account), out var pair))
            {
                wait = Max(wait, pair.WaitAtLimit(options.PasswordFailuresPerAccount, options.PasswordFailureWindow, now));
            }
            if (_byAddress.TryGetValue(address, out var fromAddress))
            {
                wait = Max(wait, fromAddress.WaitAtLimit(options.PasswordFailuresPerAddress, options.PasswordFailureWindow, now));
            }
            if (wait > TimeSpan.Zero)
            {
                return wait;
            }
            if (_byAccount.TryGetValue(account, out var ofAccount) && ofAccount.CountSince(now - Hour) >= options.PasswordFailuresPerAccountHourly)
            {
                // a distributed guess: one check a second for the account, whoever asks
                var since = now - ofAccount.LastCheck;
                if (since < SlowedCheckInterval)
                {
                    return SlowedCheckInterval - since;
                }
                ofAccount.LastCheck = now;
            }
            return null;
        }
    }

    /// <summary>A password check for <paramref name="account"/> failed, or (with no account) a token was unknown.</summary>
    public void Failed(string address, string? account)
    {
        if (options.Disabled)
        {
            return;
        }
        var now = time.GetUtcNow();
        lock (_lock)
        {
            Note(_byAddress, address, options.PasswordFailuresPerAddress, now);
            if (account is not null)
            {
                if (!_byAddressAndAccount.TryGetValue((address, account), out var pair))
                {
                    _byAddressAndAccount[(address, account)] = pair = new Failures();
                }
                pair.Add(now, options.PasswordFailuresPerAccount);
                Note(_byAccount, account, options.PasswordFailuresPerAccountHourly, now);
            }
            if (_byAddressAndAccount.Count + _byAddress.Count > 100_000)
            {
                Forget(now);
            }
        }
    }

    private static void Note(Dictionary<string, Failures> failures, string key, int keep, DateTimeOffset now)
    {
        if (!failures.TryGetValue(key, out var entry))
        {
            failures[key] = entry = new Failures();
        }
        entry.Add(now, keep);
    }

    // failures older than their window count for nothing: their entries go
    private void Forget(DateTimeOffset now)
    {
        foreach (var (key, failures) in _byAddressAndAccount)
        {
            if (failures.Newest < now - options.PasswordFailureWindow)
            {
                _byAddressAndAccount.Remove(key);
            }
        }
        foreach (var (key, failures) in _byAddress)
        {
            if (failures.Newest < now - options.PasswordFailureWindow)
            {
                _byAddress.Remove(key);
            }
        }
        foreach (var (key, failures) in _byAccount)
        {
            if (failures.Newest < now - Hour)
            {
                _byAccount.Remove(key);
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>The newest failures of one key, at most as many as its limit (older ones cannot matter).</summary>
    private sealed class Failures
    {
        private readonly Queue<DateTimeOffset> _times = new();

        public DateTimeOffset LastCheck { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset Newest { get; private set; } = DateTimeOffset.MinValue;

        public void Add(DateTimeOffset now, int keep)
        {
            _times.Enqueue(now);
            Newest = now;
            while (_times.Count > keep)
            {
                _times.Dequeue();
            }
        }

        public int CountSince(DateTimeOffset since) => _times.Count(t => t >= since);

        // at the limit within the window: wait until the oldest of them leaves it
        public TimeSpan WaitAtLimit(int limit, TimeSpan window, DateTimeOffset now)
        {
            while (_times.Count > 0 && _times.Peek() <= now - window)
            {
                _times.Dequeue();
            }
            return _times.Count >= limit ? _times.Peek() + window - now : TimeSpan.Zero;
        }
    }
}
