using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Parley.Server.Cluster;
using StackExchange.Redis;

namespace Parley.Server.Redis;

/// <summary>
/// The cluster backplane on Redis: a sharded pub/sub channel per topic (<c>SPUBLISH</c>/<c>SSUBSCRIBE</c>,
/// which a Redis Cluster also spreads over its shards), so that a node hears only the topics its users
/// need, and a key per
/// name held (<c>HOLDER\tIDENTITY\tDETAILS</c>, set only where absent, renewed every third of the lease)
/// for names unique across the cluster.
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

    // Takes a free name; or, taking over, one held for the same identity (the second field). Returns
    // whether it was taken and the holder it was taken from.
    private const string ClaimScript = """
        local current = redis.call('GET', KEYS[1])
        if current == false then
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          return {1, ''}
        end
        if ARGV[3] == '1' then
          local tab = string.find(current, '\t', 1, true)
          local rest = string.sub(current, tab + 1)
          local identity = string.sub(rest, 1, (string.find(rest, '\t', 1, true) or 0) - 1)
          if identity == ARGV[4] then
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return {1, string.sub(current, 1, tab - 1)}
          end
        end
        return {0, ''}
        """;

    // Frees a name its holder (ARGV[1], the value as set) still has, or keeps it for its identity without a
    // holder for ARGV[2] ms.
    private const string ReleaseScript = """
        local current = redis.call('GET', KEYS[1])
        if current ~= ARGV[1] then
          return 0
        end
        if tonumber(ARGV[2]) > 0 then
          local tab = string.find(current, '\t', 1, true)
          redis.call('SET', KEYS[1], string.sub(current, tab), 'PX', ARGV[2])
        else
          redis.call('DEL', KEYS[1])
        end
        return 1
        """;

    private readonly RedisBackplaneOptions options;
    private readonly ILogger<RedisBackplane> logger;
    // the topics this node hears, each with its queue (one handler, called in order per topic)
    private readonly ConcurrentDictionary<string, ChannelMessageQueue> subscriptions = new(StringComparer.Ordinal);
    private Action<byte[]>? onPublished;
    // where a node that took a name over tells the node that held it, so that it closes that session at once
    private readonly RedisChannel takeovers;
    private readonly ConcurrentDictionary<string, string> held = new(StringComparer.Ordinal);
    private ConnectionMultiplexer? redis;
    private Timer? renewal;
    private Action? onReconnected;
    private Action<string, string>? onNameLost;

    /// <summary>Creates the backplane; <see cref="StartAsync"/> connects it.</summary>
    public RedisBackplane(RedisBackplaneOptions options, ILogger<RedisBackplane> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Configuration, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.NameLease, TimeSpan.FromSeconds(1), nameof(options));
        this.options = options;
        this.logger = logger;
        takeovers = RedisChannel.Literal(options.Prefix + "takeovers");
    }

    /// <inheritdoc />
    public string NodeName => options.NodeName;

    /// <inheritdoc />
    public bool IsConnected => redis?.IsConnected ?? false;

    /// <inheritdoc />
    public async Task StartAsync(Action<byte[]> onPublished, Action onReconnected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onPublished);
        this.onPublished = onPublished;
        this.onReconnected = onReconnected;
        var configuration = ConfigurationOptions.Parse(options.Configuration);
        // a node starts, and goes on, while Redis is away: it keeps trying in the background
        configuration.AbortOnConnectFail = false;
        configuration.ClientName = "parley-" + options.NodeName;
        redis = await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken).ConfigureAwait(false);
        redis.ConnectionFailed += (_, e) => Log.ConnectionLost(logger, options.NodeName, e.FailureType.ToString(), e.Exception);
        redis.ConnectionRestored += (_, e) => OnRestored(e.ConnectionType);
        var takenOver = await redis.GetSubscriber().SubscribeAsync(takeovers).ConfigureAwait(false);
        takenOver.OnMessage(message => OnTakenOver((string)message.Message!));
        var period = options.NameLease / 3;
        renewal = new Timer(_ => _ = RenewAsync(), null, period, period);
        Log.Started(logger, options.NodeName, configuration.ToString(includePassword: false), redis.IsConnected);
    }

    /// <inheritdoc />
    public bool Publish(string topic, byte[] payload)
    {
        if (redis is not { IsConnected: true })
        {
            return false;
        }
        redis.GetSubscriber().Publish(TopicChannel(topic), payload, CommandFlags.FireAndForget);
        return true;
    }

    /// <inheritdoc />
    public async Task SubscribeAsync(string topic)
    {
        var subscriber = (redis ?? throw new InvalidOperationException("The backplane is not started.")).GetSubscriber();
        var queue = await subscriber.SubscribeAsync(TopicChannel(topic)).ConfigureAwait(false);
        // one handler, called in order: a topic's payloads keep their order
        queue.OnMessage(message => onPublished!((byte[])message.Message!));
        subscriptions[topic] = queue;
    }

    /// <inheritdoc />
    public async Task UnsubscribeAsync(string topic)
    {
        if (subscriptions.TryRemove(topic, out var queue))
        {
            await queue.UnsubscribeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<NameClaim> TryClaimNameAsync(string nameKey, string holder, string identity, string details, bool takeOver, CancellationToken cancellationToken = default)
    {
        var value = $"{holder}\t{identity}\t{details}";
        RedisResult[] result;
        try
        {
            result = (RedisResult[])(await Database().ScriptEvaluateAsync(ClaimScript, [NameKey(nameKey)],
                [value, (long)options.NameLease.TotalMilliseconds, takeOver ? "1" : "0", identity]).WaitAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            throw new InvalidOperationException("Redis is not reachable: the name cannot be checked.", error);
        }
        if ((long)result[0] == 0)
        {
            return new NameClaim(false, null);
        }
        held[nameKey] = value;
        var previous = (string?)result[1];
        if (string.IsNullOrEmpty(previous))
        {
            return new NameClaim(true, null);
        }
        if (!previous.StartsWith(options.NodeName + "/", StringComparison.Ordinal))
        {
            redis!.GetSubscriber().Publish(takeovers, $"{nameKey}\t{previous}", CommandFlags.FireAndForget);
        }
        return new NameClaim(true, previous);
    }

    // another node took over a name: if this node's holder had it, its session ends now (renewal would find it later)
    private void OnTakenOver(string message)
    {
        var tab = message.IndexOf('\t', StringComparison.Ordinal);
        var (nameKey, holder) = (message[..tab], message[(tab + 1)..]);
        if (held.TryGetValue(nameKey, out var value) && value.StartsWith(holder + "\t", StringComparison.Ordinal)
            && held.TryRemove(new KeyValuePair<string, string>(nameKey, value)))
        {
            onNameLost?.Invoke(nameKey, holder);
        }
    }

    /// <inheritdoc />
    public void ReleaseName(string nameKey, string holder, TimeSpan keep)
    {
        if (!held.TryGetValue(nameKey, out var value) || !value.StartsWith(holder + "\t", StringComparison.Ordinal))
        {
            return;
        }
        if (!held.TryRemove(new KeyValuePair<string, string>(nameKey, value)) || redis is not { IsConnected: true })
        {
            // not reachable: the lease runs out by itself
            return;
        }
        Database().ScriptEvaluate(ReleaseScript, [NameKey(nameKey)], [value, (long)keep.TotalMilliseconds], CommandFlags.FireAndForget);
    }

    /// <inheritdoc />
    public void WatchLostNames(Action<string, string> onLost) => onNameLost = onLost;

    /// <inheritdoc />
    public async Task<HeldName?> FindNameAsync(string nameKey, CancellationToken cancellationToken = default)
    {
        string? value;
        try
        {
            value = await Database().StringGetAsync(NameKey(nameKey)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            throw new InvalidOperationException("Redis is not reachable: who holds a name cannot be checked.", error);
        }
        if (value?.Split('\t', 3) is not [var holder, var identity, var details])
        {
            return null;
        }
        return new HeldName(holder.Length == 0 ? null : holder, identity, details);
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
                foreach (var (nameKey, value) in held)
                {
                    await Database().ScriptEvaluateAsync(ReleaseScript, [NameKey(nameKey)], [value, 0]).ConfigureAwait(false);
                }
            }
            await redis.DisposeAsync().ConfigureAwait(false);
        }
    }

    private IDatabase Database() => (redis ?? throw new InvalidOperationException("The backplane is not started.")).GetDatabase();

    private RedisKey NameKey(string nameKey) => options.Prefix + "name:" + nameKey;

    private RedisChannel TopicChannel(string topic) => RedisChannel.Sharded(options.Prefix + "t:" + topic);

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
        foreach (var (nameKey, value) in held)
        {
            try
            {
                var kept = (long)await Database().ScriptEvaluateAsync(RenewScript, [NameKey(nameKey)], [value, lease]).ConfigureAwait(false);
                if (kept == 0 && held.TryRemove(new KeyValuePair<string, string>(nameKey, value)))
                {
                    // a newer sign-in of the same identity took it over, on this node or another
                    Log.NameTakenOver(logger, nameKey, options.NodeName);
                    onNameLost?.Invoke(nameKey, value[..value.IndexOf('\t', StringComparison.Ordinal)]);
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
