namespace Parley.Server.Limits;

/// <summary>
/// The limits that hold against one abusive address, under <c>Parley:Limits</c>, with their defaults and
/// the reasons for them. Every one is per server node.
/// </summary>
public sealed class LimitOptions
{
    /// <summary>Lifts every limit, for benchmarks that measure the server at full speed only (as <c>FlowControlDisabled</c> does flow control).</summary>
    public bool Disabled { get; set; }

    /// <summary>Connections open at once from one address (IPv6: one /64), TCP and HTTP together: a household or an office behind one address stays well under it.</summary>
    public int ConnectionsPerAddress { get; set; } = 64;

    /// <summary>New connections per second from one address, sustained: a reconnecting client needs a few.</summary>
    public double NewConnectionsPerSecond { get; set; } = 20;

    /// <summary>New connections from one address in a burst (a page and its WebSocket, a team's clients after a restart).</summary>
    public int NewConnectionsBurst { get; set; } = 40;

    /// <summary>Password failures for one account from one address, within <see cref="PasswordFailureWindow"/>, before that address must wait: a person mistyping gets several tries.</summary>
    public int PasswordFailuresPerAccount { get; set; } = 5;

    /// <summary>Password failures from one address over all accounts, within <see cref="PasswordFailureWindow"/>, before any password from it must wait.</summary>
    public int PasswordFailuresPerAddress { get; set; } = 20;

    /// <summary>How long a password failure counts against its address.</summary>
    public TimeSpan PasswordFailureWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Password failures for one account from all addresses in an hour, past which it gets at most one password check a second (a distributed guess).</summary>
    public int PasswordFailuresPerAccountHourly { get; set; } = 100;

    /// <summary>Password hashes waiting for a core: past it, a hello is refused at once instead of piling up work (each hash is hundreds of milliseconds of CPU).</summary>
    public int PasswordQueue { get; set; } = 64;

    /// <summary>Accounts registered from one address in an hour: a family or a small team, not a farm.</summary>
    public int RegistrationsPerAddressHourly { get; set; } = 5;

    /// <summary>Joins per second per connection: enough for a client rejoining its rooms, not for making rooms by the thousand.</summary>
    public double JoinsPerSecond { get; set; } = 20;

    /// <summary>
    /// Bytes all connections together may hold for clients that have not taken them yet; past it the largest
    /// holders are cut as slow consumers, so that clients that do not read cannot take the server's memory.
    /// 0: a quarter of the memory available to the process.
    /// </summary>
    public long OutgoingBytes { get; set; }

    /// <summary>How long an HTTP client may take to send a request's headers (Kestrel's default is 30 s), and a trusted proxy its PROXY protocol header: a slow client holds a connection meanwhile.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
