namespace Parley.Testing;

/// <summary>The two ways a client reaches the server.</summary>
public enum Transport
{
    /// <summary>Line-delimited JSON over TCP.</summary>
    Tcp,
    /// <summary>One JSON text message per frame over WebSocket at /ws.</summary>
    WebSocket,
}
