using System.Buffers.Binary;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Parley.Protocol.Frames;
using Parley.Server.Limits;
using Parley.Testing;

namespace Parley.Server.Tests.Limits;

/// <summary>
/// Behind a trusted proxy the limits count the client's real address: from the PROXY protocol header (v1, v2) on
/// the TCP endpoint, from <c>X-Forwarded-For</c> on the HTTP one. Anyone else claiming an address is not believed.
/// One connection per address here, so that each admission and refusal shows which address was counted.
/// </summary>
public sealed class TrustedProxyTests
{
    private static readonly IPAddress Proxy = IPAddress.Parse("127.0.0.5");
    private static readonly IPAddress Stranger = IPAddress.Parse("127.0.0.6");
    private static readonly IPAddress Alice = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress Bob = IPAddress.Parse("198.51.100.9");

    private static Dictionary<string, string> Settings => new()
    {
        ["Parley:TrustedProxies:0"] = "127.0.0.5",
        ["Parley:Limits:ConnectionsPerAddress"] = "1",
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task OverTcpEachClientBehindTheProxyIsCountedByTheAddressItsHeaderGives(int version)
    {
        await using var server = await TestServer.StartAsync(Settings);
        var gate = server.Host.Services.GetRequiredService<ConnectionGate>();

        await using var alice = await ThroughProxyAsync(server, Header(version, Alice, 40001), "alice");
        await using var bob = await ThroughProxyAsync(server, Header(version, Bob, 40002), "bob");
        Assert.Equal(1, gate.OpenFrom(Alice));
        Assert.Equal(1, gate.OpenFrom(Bob));
        Assert.Equal(0, gate.OpenFrom(Proxy));

        // alice's second connection is over her limit, however many the proxy carries
        await using var again = await RawClient.ConnectTcpFromAsync(server.Tcp, Proxy);
        await again.WriteTcpAsync(Header(version, Alice, 40003));
        Assert.Equal("too_many_connections", Assert.Single(await again.ClosedAsync()).Str("code"));

        // and the two chat as themselves
        await alice.SendAsync(new SendFrame { Id = "a1", To = "#lobby", Text = "behind the proxy" });
        Assert.Equal("ack", (await alice.ReplyAsync("a1")).Type());
        var (message, _) = await bob.WaitForAsync(f => f.Is("message") && f.Str("text") == "behind the proxy");
        Assert.Equal("alice", message.Str("from"));
    }

    [Fact]
    public async Task OverTlsTheHeaderComesBeforeTheHandshake()
    {
        await using var server = await TestServer.StartTlsAsync(Settings);
        var gate = server.Host.Services.GetRequiredService<ConnectionGate>();
        await using var alice = await RawClient.ConnectTlsAsync(server.Tcp, server.Certificate!.Certificate, from: Proxy, preamble: Header(2, Alice, 40001));
        await alice.SendAsync(new HelloFrame { Id = "h", User = "alice" });
        Assert.Equal("welcome", (await alice.ReplyAsync("h")).Type());
        Assert.Equal(1, gate.OpenFrom(Alice));
        Assert.Equal(0, gate.OpenFrom(Proxy));
    }

    [Fact]
    public async Task AHeaderFromAnAddressThatIsNotTrustedIsNotBelieved()
    {
        await using var server = await TestServer.StartAsync(Settings);
        var gate = server.Host.Services.GetRequiredService<ConnectionGate>();
        await using var stranger = await RawClient.ConnectTcpFromAsync(server.Tcp, Stranger);
        await stranger.WriteTcpAsync(Header(1, Alice, 40001));
        // to this server the line is a frame it cannot read, from the address the stranger connects from
        Assert.Equal("error", (await stranger.NextAsync()).Type());
        Assert.Equal(1, gate.OpenFrom(Stranger));
        Assert.Equal(0, gate.OpenFrom(Alice));
    }

    [Fact]
    public async Task ATrustedProxysConnectionWithoutAHeaderIsClosedAndCountedAndOthersGoOn()
    {
        await using var server = await TestServer.StartAsync(Settings);
        await using var noHeader = await RawClient.ConnectTcpFromAsync(server.Tcp, Proxy);
        await noHeader.SendAsync(new HelloFrame { Id = "h", User = "alice" });
        Assert.Empty(await noHeader.ClosedAsync());
        Assert.Equal(1, server.Counters.Total("parley.refusals", RefusalReasons.ProxyHeader));

        await using var garbled = await RawClient.ConnectTcpFromAsync(server.Tcp, Proxy);
        await garbled.WriteTcpAsync("PROXY TCP4 203.0.113.7 127.0.0.1 99999 1\r\n"u8.ToArray());
        Assert.Empty(await garbled.ClosedAsync());
        Assert.Equal(2, server.Counters.Total("parley.refusals", RefusalReasons.ProxyHeader));

        await using var alice = await ThroughProxyAsync(server, Header(2, Alice, 40001), "alice");
    }

    [Fact]
    public async Task OverWebSocketEachClientBehindTheProxyIsCountedByItsXForwardedFor()
    {
        await using var server = await TestServer.StartAsync(Settings);
        var gate = server.Host.Services.GetRequiredService<ConnectionGate>();

        await using var alice = await WebSocketAsync(server, Proxy, "203.0.113.7");
        // a client's own X-Forwarded-For entries come first; the proxy appends the address it saw
        await using var bob = await WebSocketAsync(server, Proxy, "203.0.113.7, 198.51.100.9");
        Assert.Equal(1, gate.OpenFrom(Alice));
        Assert.Equal(1, gate.OpenFrom(Bob));

        var refused = await Assert.ThrowsAsync<HandshakeRefusedException>(() => WebSocketAsync(server, Proxy, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);

        // a WebSocket that closes makes room for its address again
        await alice.DisposeAsync();
        await Waits.UntilAsync(() => gate.OpenFrom(Alice) == 0);
        await using var aliceAgain = await WebSocketAsync(server, Proxy, "203.0.113.7");
    }

    [Fact]
    public async Task XForwardedForFromAnAddressThatIsNotTrustedIsNotBelieved()
    {
        await using var server = await TestServer.StartAsync(Settings);
        var gate = server.Host.Services.GetRequiredService<ConnectionGate>();
        await using var stranger = await WebSocketAsync(server, Stranger, "203.0.113.7");
        Assert.Equal(1, gate.OpenFrom(Stranger));
        Assert.Equal(0, gate.OpenFrom(Alice));
        var refused = await Assert.ThrowsAsync<HandshakeRefusedException>(() => WebSocketAsync(server, Stranger, "198.51.100.9"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
    }

    private static async Task<RawClient> ThroughProxyAsync(TestServer server, byte[] header, string user)
    {
        var client = await RawClient.ConnectTcpFromAsync(server.Tcp, Proxy);
        await client.WriteTcpAsync(header);
        await client.SendAsync(new HelloFrame { Id = "h", User = user });
        var welcome = await client.ReplyAsync("h");
        Assert.True(welcome.Is("welcome"), welcome.GetRawText());
        return client;
    }

    private static async Task<RawClient> WebSocketAsync(TestServer server, IPAddress from, string forwardedFor)
    {
        var client = await RawClient.ConnectWebSocketFromAsync(server.WebSocketUri, from, headers: new Dictionary<string, string> { ["X-Forwarded-For"] = forwardedFor });
        await client.SendAsync(new PingFrame { Id = "p" });
        // not_authenticated: the session answers, so the WebSocket was admitted
        Assert.Equal("error", (await client.ReplyAsync("p")).Type());
        return client;
    }

    // what HAProxy sends with send-proxy (1) or send-proxy-v2 (2)
    private static byte[] Header(int version, IPAddress client, ushort port)
    {
        if (version == 1)
        {
            return Encoding.ASCII.GetBytes($"PROXY TCP4 {client} 127.0.0.1 {port} 12345\r\n");
        }
        byte[] start = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x11, 0x00, 12];
        var ports = new byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(ports, port);
        BinaryPrimitives.WriteUInt16BigEndian(ports.AsSpan(2), 12345);
        return [.. start, .. client.GetAddressBytes(), .. IPAddress.Loopback.GetAddressBytes(), .. ports];
    }
}
