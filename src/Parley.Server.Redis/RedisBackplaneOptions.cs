namespace Parley.Server.Redis;

/// <summary>How a node reaches Redis and how long its names are leased.</summary>
public sealed record RedisBackplaneOptions
{
    /// <summary><c>HOST:PORT</c> or a StackExchange.Redis configuration string.</summary>
    public required string Configuration { get; init; }

    /// <summary>This node's name.</summary>
    public required string NodeName { get; init; }

    /// <summary>
    /// How long a name stays taken after its node stops renewing it (a node killed outright). The
    /// node renews every third of it, so a live node never loses a name to a slow renewal.
    /// </summary>
    public TimeSpan NameLease { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The prefix of every key and channel, so that several clusters can share one Redis.</summary>
    public string Prefix { get; init; } = "parley:";
}
