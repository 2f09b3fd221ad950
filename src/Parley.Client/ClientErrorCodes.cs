namespace Parley.Client;

/// <summary>
/// The <see cref="ParleyException.Code"/> values the client gives to failures it sees itself. They never
/// collide with the server's codes (<c>Parley.Protocol.ErrorCodes</c>).
/// </summary>
public static class ClientErrorCodes
{
    /// <summary>The server could not be reached: no connection, or the connection was refused.</summary>
    public const string Unreachable = "unreachable";
    /// <summary>The connection was lost before the reply came. Sends are not failed this way while the client reconnects.</summary>
    public const string ConnectionLost = "connection_lost";
    /// <summary>The client has no connection: not connected yet, reconnecting (for requests other than sends), or gave up.</summary>
    public const string NotConnected = "not_connected";
    /// <summary>The reply did not come within <see cref="ParleyClientOptions.RequestTimeout"/>.</summary>
    public const string Timeout = "timeout";
    /// <summary>The client was quit or disposed.</summary>
    public const string Closed = "closed";
    /// <summary>The server answered with something the protocol does not allow here.</summary>
    public const string ProtocolError = "protocol_error";
    /// <summary>No code is known (the parameterless constructors of <see cref="ParleyException"/>).</summary>
    public const string Unknown = "unknown";
}
