using Parley.Server.Tests.Protocol;
using Parley.Testing;

namespace Parley.Server.Tests.Tls;

// The protocol suites again with TLS on both endpoints: lines inside TLS on the TCP port (framing,
// limits, idle and ping included), and wss:// for the chat suite.

/// <summary>Chat over lines inside TLS.</summary>
public sealed class TlsChatTests() : ChatTests(Transport.Tcp, TlsServers.InProcess);

/// <summary>Chat over wss://.</summary>
public sealed class WssChatTests() : ChatTests(Transport.WebSocket, TlsServers.InProcess);

/// <summary>Malformed lines inside TLS.</summary>
public sealed class TlsMalformedInputTests() : MalformedInputTests(Transport.Tcp, TlsServers.InProcess);

/// <summary>Idle timeout and pings inside TLS.</summary>
public sealed class TlsLivenessTests() : LivenessTests(Transport.Tcp, TlsServers.InProcess);

/// <summary>One server in this process with a certificate of its own.</summary>
internal static class TlsServers
{
    public static ServerFactory InProcess { get; } = async settings => await TestServer.StartTlsAsync(settings);
}
