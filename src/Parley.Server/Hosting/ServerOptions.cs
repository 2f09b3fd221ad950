namespace Parley.Server.Hosting;

/// <summary>
/// Every setting of the server, with its default and the reason for it. Bound from the section
/// <c>Parley</c> of configuration (command line, environment <c>Parley__Tcp</c>, appsettings.json).
/// </summary>
public sealed class ServerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Parley";

    /// <summary>TCP endpoint, <c>HOST:PORT</c>. Loopback by default: exposing the server is an explicit choice.</summary>
    public string Tcp { get; set; } = "127.0.0.1:12345";

    /// <summary>HTTP endpoint (browser client, <c>/ws</c>, <c>/healthz</c>, <c>/metrics</c>), <c>HOST:PORT</c>.</summary>
    public string Http { get; set; } = "127.0.0.1:8080";

    /// <summary>The SQLite database file. Relative paths are under <see cref="DataDirectory"/>, else the working directory.</summary>
    public string Db { get; set; } = "parley.db";

    /// <summary>Where a relative <see cref="Db"/> lives; the working directory when empty.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>The server's name in <c>welcome</c>.</summary>
    public string ServerName { get; set; } = "parley/" + (typeof(ServerOptions).Assembly.GetName().Version?.ToString(3) ?? "0.1.0");

    /// <summary>Largest frame in bytes (protocol default 65,536): bounds what one client can make the server buffer.</summary>
    public int MaxFrameBytes { get; set; } = 65_536;

    /// <summary>A connection silent this long is closed (protocol: 120 s; clients ping every 30 s).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Bytes a connection may have queued before it is a slow consumer (protocol: 8 MiB).</summary>
    public long OutgoingQueueBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>Flow control: sustained sends per second per connection (protocol: about 20).</summary>
    public double SendsPerSecond { get; set; } = 20;

    /// <summary>Flow control: burst of sends per connection (protocol: 40).</summary>
    public int SendBurst { get; set; } = 40;

    /// <summary>Turns flow control off; for benchmarks that measure the server at full speed only.</summary>
    public bool FlowControlDisabled { get; set; }

    /// <summary>
    /// Whether every user joins #lobby on hello (protocol default). Benchmarks of 10,000 users turn it
    /// off: each hello would otherwise announce itself to everyone, 50 million presence frames.
    /// </summary>
    public bool AutoJoinLobby { get; set; } = true;

    /// <summary>How long a repeated send id returns its original ack (protocol: 24 hours).</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Acks kept in memory for idempotency before falling back to the database.</summary>
    public int IdempotencyCacheSize { get; set; } = 100_000;

    /// <summary>How long a stopping server waits for clients to take their last frames.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The database path to open, from <see cref="Db"/> and <see cref="DataDirectory"/>.</summary>
    public string DatabasePath =>
        string.IsNullOrEmpty(DataDirectory) || Path.IsPathRooted(Db) ? Db : Path.Combine(DataDirectory, Db);
}
