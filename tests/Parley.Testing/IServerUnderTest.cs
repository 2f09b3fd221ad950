using System.Net;

namespace Parley.Testing;

/// <summary>
/// What a protocol test needs of "the server": one in-process server (<see cref="TestServer"/>) or
/// a cluster of nodes that must behave as one.
/// </summary>
public interface IServerUnderTest : IAsyncDisposable
{
    /// <summary>A TCP endpoint.</summary>
    IPEndPoint Tcp { get; }

    /// <summary>An HTTP endpoint.</summary>
    IPEndPoint Http { get; }

    /// <summary>A WebSocket endpoint.</summary>
    Uri WebSocketUri { get; }

    /// <summary>Opens a raw connection over a transport (in a cluster, to the next node in turn).</summary>
    Task<RawClient> ConnectAsync(Transport transport);

    /// <summary>Connects and says hello; returns once welcomed.</summary>
    Task<RawClient> HelloAsync(Transport transport, string user, string? password = null);

    /// <summary>Stops gracefully (clients get server_shutdown).</summary>
    Task StopAsync();
}

/// <summary>Starts a server for a test, with extra configuration (<c>Parley:IdleTimeout</c> = <c>00:00:01</c>, ...).</summary>
public delegate Task<IServerUnderTest> ServerFactory(IDictionary<string, string>? settings = null);

/// <summary>The server factories every suite can run against.</summary>
public static class ServerFactories
{
    /// <summary>One server in this process on SQLite: the default.</summary>
    public static ServerFactory InProcess { get; } = async settings => await TestServer.StartAsync(settings);
}
