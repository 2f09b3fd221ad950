using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Parley.Server.Cluster;
using StackExchange.Redis;

namespace Parley.Server.Redis;

/// <summary>
/// The cluster backplane on Redis: one pub/sub channel for fan-out between nodes, and a key per
/// name held (<c>SET NX PX</c>, renewed every third of the lease) for names unique across the cluster.
/// </summary>
public sealed partial class RedisBackplane : IClusterBackplane
{
    // Renews a lease the holder still has, and takes it back if Redis lost it (a Redis restarted empty).
    private const string RenewScript = """
        local holder = redis.call('GET', KEYS[1])
        if holder == ARGV[1] or holder == false then
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          return 1
        end
        return 0
        """;

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    private readonly RedisBackplaneOptions options;
    private readonly ILogger<RedisBackplane> logger;
    private readonly RedisChannel channel;
    private readonly ConcurrentDictionary<string, string> held = new(StringComparer.Ordinal);
    private ConnectionMultiplexer? redis;
    private Timer? renewal;
    private Action? onReconnected;

    /// <summary>Creates the backplane; <see cref="StartAsync"/> connects it.</summary>
    public RedisBackplane(RedisBackplaneOptions options, ILogger<RedisBackplane> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Configuration, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.NameLease, TimeSpan.FromSeconds(1), nameof(options));
        this.options = options;
        this.logger = logger;
        channel = RedisChannel.Literal(options.Prefix + "fanout");
    }

    /// <inheritdoc />
    public string NodeName => options.NodeName;

    /// <inheritdoc />
    public bool IsConnected => redis?.IsConnected ?? false;

    /// <inheritdoc />
    public async Task StartAsync(Action<byte[]> onPublished, Action onReconnected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onPublished);
        this.onReconnected = onReconnected;
        var configuration = ConfigurationOptions.Parse(options.Configuration);
        // a node starts, and goes on, while Redis is away: it keeps trying in the background
        configuration.AbortOnConnectFail = false;
        configuration.ClientName = "parley-" + options.NodeName;
        redis = await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken).ConfigureAwait(false);
        redis.ConnectionFailed += (_, e) => Log.ConnectionLost(logger, options.NodeName, e.FailureType.ToString(), e.Exception);
        redis.ConnectionRestored += (_, e) => OnRestored(e.ConnectionType);
        var queue = await redis.GetSubscriber().SubscribeAsync(channel).ConfigureAwait(false);
        // one handler, called in order: messages from one node keep their order
        queue.OnMessage(message => onPublished((byte[])message.Message!));
        var period = options.NameLease / 3;
        renewal = new Timer(_ => _ = RenewAsync(), null, period, period);
        Log.Started(logger, options.NodeName, configuration.ToString(includePassword: false), redis.IsConnected);
    }

    /// <inheritdoc />
    public bool Publish(byte[] payload)
    {
        if (redis is not { IsConnected: true })
        {
            return false;
        }
        redis.GetSubscriber().Publish(channel, payload, CommandFlags.FireAndForget);
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> TryClaimNameAsync(string userKey, string user, string holder, CancellationToken cancellationToken = default)
    {
        var database = Database();
        // the value names the holder and the name as shown; renewal and release compare all of it
        holder = $"{holder}\t{user}";
        bool claimed;
        try
        {
            claimed = await database.StringSetAsync(NameKey(userKey), holder, options.NameLease, When.NotExists).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            throw new InvalidOperationException("Redis is not reachable: the name cannot be checked.", error);
        }
        if (claimed)
        {
            held[userKey] = holder;
        }
        return claimed;
    }

    /// <inheritdoc />
    public void ReleaseName(string userKey, string holder)
    {
        if (!held.TryGetValue(userKey, out var value) || !value.StartsWith(holder + "\t", StringComparison.Ordinal))
        {
            return;
        }
        holder = value;
        if (!held.TryRemove(new KeyValuePair<string, string>(userKey, holder)) || redis is not { IsConnected: true })
        {
            // not reachable: the lease runs out by itself
            return;
        }
        Database().ScriptEvaluate(ReleaseScript, [NameKey(userKey)], [holder], CommandFlags.FireAndForget);
    }

    /// <inheritdoc />
    public async Task<string?> FindNameAsync(string userKey, CancellationToken cancellationToken = default)
    {
        try
        {
            var value = (string?)await Database().StringGetAsync(NameKey(userKey)).WaitAsync(cancellationToken).ConfigureAwait(false);
            var tab = value?.IndexOf('\t', StringComparison.Ordinal) ?? -1;
            return value is null ? null : tab < 0 ? userKey : value[(tab + 1)..];
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            throw new InvalidOperationException("Redis is not reachable: who is online cannot be checked.", error);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (renewal is not null)
        {
            await renewal.DisposeAsync().ConfigureAwait(false);
        }
        if (redis is not null)
        {
            if (redis.IsConnected)
            {
                foreach (var (userKey, holder) in held)
                {
                    await Database().ScriptEvaluateAsync(ReleaseScript, [NameKey(userKey)], [holder]).ConfigureAwait(false);
                }
            }
            await redis.DisposeAsync().ConfigureAwait(false);
        }
    }

    private IDatabase Database() => (redis ?? throw new InvalidOperationException("The backplane is not started.")).GetDatabase();

    private RedisKey NameKey(string userKey) => options.Prefix + "name:" + userKey;

    private void OnRestored(ConnectionType connectionType)
    {
        Log.ConnectionRestored(logger, options.NodeName, connectionType.ToString());
        if (connectionType == ConnectionType.Subscription)
        {
            _ = RenewAsync();
            onReconnected?.Invoke();
        }
    }

    private async Task RenewAsync()
    {
        if (redis is not { IsConnected: true })
        {
            return;
        }
        var lease = (long)options.NameLease.TotalMilliseconds;
        foreach (var (userKey, holder) in held)
        {
            try
            {
                var kept = (long)await Database().ScriptEvaluateAsync(RenewScript, [NameKey(userKey)], [holder, lease]).ConfigureAwait(false);
                if (kept == 0)
                {
                    Log.NameLost(logger, userKey, options.NodeName);
                }
            }
            catch (Exception error) when (error is RedisException or TimeoutException)
            {
                Log.RenewalFailed(logger, options.NodeName, error);
                return;
            }
        }
    }
}
