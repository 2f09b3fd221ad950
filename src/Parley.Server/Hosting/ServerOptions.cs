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

    /// <summary>
    /// The server's certificate, a PEM file (certbot's <c>fullchain.pem</c>: the certificate, then its
    /// intermediates). With <see cref="TlsKey"/>, the TCP endpoint speaks TLS and the HTTP endpoint HTTPS;
    /// without, both are plain. The file is checked every <see cref="TlsCheckInterval"/>: a renewed pair
    /// serves new connections without a restart.
    /// </summary>
    public string? TlsCert { get; set; }

    /// <summary>The private key of <see cref="TlsCert"/>, a PEM file (certbot's <c>privkey.pem</c>), unencrypted.</summary>
    public string? TlsKey { get; set; }

    /// <summary>
    /// How often the certificate and key files are read again to see whether they were renewed. A renewal
    /// comes weeks before the old certificate expires, so a minute's delay costs nothing; a pair is taken
    /// once it reads the same twice in a row, so that one caught between its two files' writes is not.
    /// </summary>
    public TimeSpan TlsCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a client may take to finish the TLS handshake before its connection is closed: one that never
    /// does must not hold a connection (and its memory) for good.
    /// </summary>
    public TimeSpan TlsHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>True when a certificate is configured: the endpoints speak TLS.</summary>
    public bool UsesTls => !string.IsNullOrWhiteSpace(TlsCert) || !string.IsNullOrWhiteSpace(TlsKey);

    /// <summary>
    /// The database: a SQLite file (relative paths are under <see cref="DataDirectory"/>, else the
    /// working directory), or a PostgreSQL database given as an Npgsql connection string
    /// (<c>Host=…;Database=…</c>) or a <c>postgres://</c> URL (see <see cref="DatabaseSelection"/>).
    /// </summary>
    public string Db { get; set; } = "parley.db";

    /// <summary>
    /// Redis (<c>HOST:PORT</c> or a StackExchange.Redis configuration string) to join a cluster of
    /// nodes over one PostgreSQL database; empty for a single server with in-process fan-out.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>The cluster's name: the prefix of its keys and channel in Redis, so that clusters can share one Redis.</summary>
    public string Cluster { get; set; } = "parley";

    /// <summary>How long a name stays taken after its node died without releasing it (cluster only).</summary>
    public TimeSpan NameLease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>This node's name in logs and metrics; the machine name when empty.</summary>
    public string? Node { get; set; }

    /// <summary>
    /// Where a relative <see cref="Db"/> lives; the working directory when empty. A SQLite file's
    /// directory is created when missing, as on a first run with <c>--data /var/lib/parley</c>, and the log says so.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>The server's name in <c>welcome</c>.</summary>
    public string ServerName { get; set; } = "parley/" + (typeof(ServerOptions).Assembly.GetName().Version?.ToString(3) ?? "0.1.0");

    /// <summary>Largest frame in bytes (protocol default 65,536): bounds what one client can make the server buffer.</summary>
    public int MaxFrameBytes { get; set; } = 65_536;

    /// <summary>A connection silent this long is closed (protocol: 120 s; clients ping every 30 s).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// How long the last frame of a connection (<c>slow_consumer</c>, <c>server_shutdown</c>, an error that
    /// closes it) may take to reach a client that does not read, before the connection is cut without it.
    /// </summary>
    public TimeSpan FinalFrameTimeout { get; set; } = TimeSpan.FromSeconds(2);

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

    /// <summary>
    /// How long a guest's identity (its name, its direct conversations) outlives its connection, so that a
    /// dropped link or a reloaded page signs back in with its token as the same person (protocol 1.1: 5 minutes).
    /// </summary>
    public TimeSpan GuestGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an account's identity token signs in after its last use (protocol 1.1: 30 days).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The limits that hold against one abusive address (<c>Parley:Limits:…</c>).</summary>
    public Limits.LimitOptions Limits { get; set; } = new();

    /// <summary>
    /// The origins (<c>https://chat.example.org</c>) whose pages may open a WebSocket, compared without regard
    /// to case; empty lets any page. A handshake without an <c>Origin</c> (not from a browser) is always let through.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>
    /// The proxies (addresses, or networks such as <c>10.0.0.0/24</c>) whose word on the client's address is taken:
    /// <c>X-Forwarded-For</c> on the HTTP endpoint, the PROXY protocol header (v1 or v2), which they must send, on
    /// the TCP endpoint. Empty, the default: none, and every client is the address it connects from.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Acks kept in memory for idempotency before falling back to the database.</summary>
    public int IdempotencyCacheSize { get; set; } = 100_000;

    /// <summary>How long a stopping server waits for clients to take their last frames.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The node name to use: <see cref="Node"/>, else the machine name.</summary>
    public string NodeName => string.IsNullOrWhiteSpace(Node) ? Environment.MachineName : Node.Trim();

    /// <summary>The database path to open, from <see cref="Db"/> and <see cref="DataDirectory"/>.</summary>
    public string DatabasePath =>
        string.IsNullOrEmpty(DataDirectory) || Path.IsPathRooted(Db) ? Db : Path.Combine(DataDirectory, Db);
}
