namespace Parley.Server.Diagnostics;

/// <summary>
/// Every log event id of the server, in ranges per area, in one place: ids are a contract with
/// whoever filters or alerts on them. A test checks that no two log methods share one.
/// </summary>
public static class ParleyEventIds
{
    // 1000-1099: host
    /// <summary>The server is listening.</summary>
    public const int Listening = 1000;
    /// <summary>The server is stopping.</summary>
    public const int Stopping = 1001;
    /// <summary>The server has stopped.</summary>
    public const int Stopped = 1002;
    /// <summary>A setting is invalid.</summary>
    public const int InvalidOption = 1003;

    // 1100-1199: connections and transports
    /// <summary>A connection opened.</summary>
    public const int ConnectionOpened = 1100;
    /// <summary>A connection closed.</summary>
    public const int ConnectionClosed = 1101;
    /// <summary>A frame was over the limit.</summary>
    public const int FrameTooLarge = 1102;
    /// <summary>A connection was idle too long.</summary>
    public const int IdleTimeout = 1103;
    /// <summary>A connection's outgoing queue overflowed.</summary>
    public const int SlowConsumer = 1104;
    /// <summary>A transport failed unexpectedly.</summary>
    public const int TransportError = 1105;
    /// <summary>Accepting a TCP connection failed for lack of resources (file descriptors, memory).</summary>
    public const int AcceptFailed = 1106;
    /// <summary>A connection's writer failed in a way no peer causes (a bug); the connection was closed.</summary>
    public const int WriterFailed = 1107;
    /// <summary>Accepting works again after a streak of resource errors.</summary>
    public const int AcceptingAgain = 1108;
    /// <summary>A listener failed for good: its endpoint accepts no more connections.</summary>
    public const int ListenerDead = 1109;

    /// <summary>A limit refused a connection or a frame (logged once per address and reason per minute).</summary>
    public const int Refused = 1110;

    // 1200-1299: TLS and who can reach an endpoint
    /// <summary>A client on the TLS port did not complete the handshake (plain text, an old protocol, a timeout).</summary>
    public const int TlsHandshakeFailed = 1200;
    /// <summary>A renewed certificate was loaded from its files.</summary>
    public const int TlsCertificateRenewed = 1201;
    /// <summary>The certificate files changed but do not load; the certificate in use stays.</summary>
    public const int TlsCertificateRefused = 1202;
    /// <summary>An endpoint without TLS listens on an address other machines can reach.</summary>
    public const int PlainEndpointExposed = 1203;

    // 2000-2099: sessions
    /// <summary>A user started a session.</summary>
    public const int SessionStarted = 2000;
    /// <summary>A user's session ended.</summary>
    public const int SessionEnded = 2001;
    /// <summary>A user registered an account.</summary>
    public const int AccountRegistered = 2002;
    /// <summary>A frame handler failed: the client got internal_error with this correlation.</summary>
    public const int HandlerFailed = 2003;
    /// <summary>A message could not be stored.</summary>
    public const int StoreFailed = 2004;
    /// <summary>A failed password check.</summary>
    public const int AuthFailed = 2005;
    /// <summary>A session revoked its token.</summary>
    public const int LoggedOut = 2006;
    /// <summary>An account's stored name key or skeleton was brought up to the current name rules.</summary>
    public const int AccountNameUpdated = 2007;
    /// <summary>Two accounts' names look alike under the current name rules (both keep signing in).</summary>
    public const int AccountNamesCollide = 2008;
    /// <summary>Unused identity tokens were forgotten.</summary>
    public const int TokensExpired = 2009;
    /// <summary>Forgetting unused identity tokens failed.</summary>
    public const int TokenSweepFailed = 2010;
    /// <summary>Two rooms' names look alike under the current name rules (both stay).</summary>
    public const int RoomsCollide = 2011;

    // 3000-3999: storage (3000-3099 SQLite, 3100-3199 PostgreSQL, in its own assembly; 3200-3299 the commit pipeline)
    /// <summary>A group commit failed and was rolled back (logged once per run of failures).</summary>
    public const int CommitFailed = 3200;
    /// <summary>Group commits succeed again after a run of failures.</summary>
    public const int CommitsRecovered = 3201;
    /// <summary>A message's commit callback threw.</summary>
    public const int CommitCallbackFailed = 3202;
    /// <summary>A message's failure callback threw.</summary>
    public const int FailureCallbackFailed = 3203;
    /// <summary>The commit pipeline met an error outside a commit.</summary>
    public const int CommitPipelineFailed = 3204;

    // 4000-4099: cluster (4050-4099 the Redis backplane, in its own assembly)
    /// <summary>Reading missed messages from the store for a gap or a catch-up failed.</summary>
    public const int ClusterGapFillFailed = 4000;
    /// <summary>A backplane payload could not be read.</summary>
    public const int ClusterBadEnvelope = 4001;
    /// <summary>The backplane is reachable again.</summary>
    public const int ClusterReconnected = 4002;
    /// <summary>Subscribing to or leaving a backplane topic failed.</summary>
    public const int ClusterSubscriptionFailed = 4003;
}
