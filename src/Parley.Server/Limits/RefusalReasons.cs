namespace Parley.Server.Limits;

/// <summary>Why a limit refused something: the label of <c>parley_refusals_total</c> and of the log line.</summary>
public static class RefusalReasons
{
    /// <summary>An address holds too many connections.</summary>
    public const string TooManyConnections = "connections";
    /// <summary>An address opens connections too fast.</summary>
    public const string ConnectionChurn = "churn";
    /// <summary>An address guessed too many passwords.</summary>
    public const string PasswordGuessing = "passwords";
    /// <summary>Password hashing is at capacity.</summary>
    public const string PasswordQueueFull = "password_queue";
    /// <summary>An address registered too many accounts.</summary>
    public const string Registrations = "registrations";
    /// <summary>A connection joins too fast.</summary>
    public const string Joins = "joins";
    /// <summary>A WebSocket handshake from a page of a foreign origin.</summary>
    public const string Origin = "origin";
    /// <summary>A client that does not read held too much of the server's outgoing memory.</summary>
    public const string OutgoingMemory = "outgoing_memory";
    /// <summary>A trusted proxy's connection that did not start with a valid PROXY protocol header.</summary>
    public const string ProxyHeader = "proxy_header";
}
