using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Parley.Server.Transports;
using Parley.Testing;

namespace Parley.Server.Tests.Transports;

/// <summary>The PROXY protocol header, versions 1 and 2, as HAProxy's specification writes them.</summary>
public sealed class ProxyProtocolTests
{
    private static readonly IPEndPoint Proxy = new(IPAddress.Parse("10.0.0.5"), 41000);

    public static TheoryData<string, string> VersionOneHeaders => new()
    {
        { "PROXY TCP4 203.0.113.7 10.0.0.9 56324 12345\r\n", "203.0.113.7:56324" },
        { "PROXY TCP6 2001:db8::7 2001:db8::1 4000 12345\r\n", "[2001:db8::7]:4000" },
        { "PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n", "255.255.255.255:65535" },
        // the proxy's health checks name no client: the proxy is the client
        { "PROXY UNKNOWN\r\n", "10.0.0.5:41000" },
        { "PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n", "10.0.0.5:41000" },
    };

    [Theory]
    [MemberData(nameof(VersionOneHeaders))]
    public void AVersionOneHeaderGivesTheClient(string header, string client) =>
        Assert.Equal(client, ProxyProtocol.ParseV1(Encoding.ASCII.GetBytes(header), Proxy).ToString());

    [Theory]
    [InlineData("PROXY TCP4 203.0.113.7 10.0.0.9 56324 12345\n")]
    [InlineData("PROXY TCP4 203.0.113.7 10.0.0.9 56324\r\n")]
    [InlineData("PROXY TCP4 2001:db8::7 10.0.0.9 56324 12345\r\n")]
    [InlineData("PROXY TCP6 203.0.113.7 2001:db8::1 56324 12345\r\n")]
    [InlineData("PROXY TCP4 203.0.113.7 10.0.0.9 65536 12345\r\n")]
    [InlineData("PROXY TCP4 203.0.113.7 10.0.0.9 -1 12345\r\n")]
    [InlineData("PROXY TCP4 203.0.113.7 10.0.0.9 0443 12345\r\n")]
    [InlineData("PROXY TCP4 203.0.113.7  10.0.0.9 56324 12345\r\n")]
    [InlineData("PROXY UDP4 203.0.113.7 10.0.0.9 56324 12345\r\n")]
    [InlineData("PROXY tcp4 203.0.113.7 10.0.0.9 56324 12345\r\n")]
    [InlineData("proxy TCP4 203.0.113.7 10.0.0.9 56324 12345\r\n")]
    [InlineData("PROXY TCP4 not-an-address 10.0.0.9 56324 12345\r\n")]
    public void AMalformedVersionOneHeaderIsRefused(string header) =>
        Assert.Throws<InvalidDataException>(() => ProxyProtocol.ParseV1(Encoding.ASCII.GetBytes(header), Proxy));

    [Fact]
    public void AVersionOneHeaderLongerThanTheSpecificationsIsRefused()
    {
        var header = "PROXY UNKNOWN " + new string('x', ProxyProtocol.MaxV1Length) + "\r\n";
        Assert.Throws<InvalidDataException>(() => ProxyProtocol.ParseV1(Encoding.ASCII.GetBytes(header), Proxy));
    }

    [Fact]
    public void AVersionTwoHeaderGivesTheIPv4Client()
    {
        var header = V2(command: 1, family: 0x11, Addresses(IPAddress.Parse("203.0.113.7"), IPAddress.Parse("10.0.0.9"), 56324, 12345));
        Assert.Equal("203.0.113.7:56324", Parse(header).ToString());
    }

    [Fact]
    public void AVersionTwoHeaderGivesTheIPv6ClientAndSkipsTheTlvsAfterTheAddresses()
    {
        // a TLV of HAProxy's (PP2_TYPE_UNIQUE_ID, 0x05) after the addresses
        byte[] tlv = [0x05, 0x00, 0x03, 0x61, 0x62, 0x63];
        var header = V2(command: 1, family: 0x21, [.. Addresses(IPAddress.Parse("2001:db8::7"), IPAddress.Parse("2001:db8::1"), 4000, 12345), .. tlv]);
        Assert.Equal("[2001:db8::7]:4000", Parse(header).ToString());
    }

    [Theory]
    [InlineData(0, 0x11)] // LOCAL: the proxy's own connection (a health check), whatever the family says
    [InlineData(1, 0x00)] // UNSPEC
    [InlineData(1, 0x31)] // a Unix socket
    [InlineData(1, 0x12)] // a datagram
    public void AVersionTwoHeaderThatNamesNoTcpClientGivesTheProxy(int command, int family)
    {
        var header = V2(command, family, family >> 4 == 1 ? Addresses(IPAddress.Parse("203.0.113.7"), IPAddress.Parse("10.0.0.9"), 1, 2) : new byte[16]);
        Assert.Equal(Proxy, Parse(header));
    }

    [Fact]
    public void AVersionTwoHeaderTooShortForItsAddressesIsRefused()
    {
        var header = V2(command: 1, family: 0x21, Addresses(IPAddress.Parse("203.0.113.7"), IPAddress.Parse("10.0.0.9"), 1, 2));
        Assert.Throws<InvalidDataException>(() => Parse(header));
    }

    [Fact]
    public void AVersionTwoHeaderOfAnotherVersionOrCommandIsRefused()
    {
        var header = V2(command: 1, family: 0x11, Addresses(IPAddress.Parse("203.0.113.7"), IPAddress.Parse("10.0.0.9"), 1, 2));
        header[12] = 0x31;
        Assert.Throws<InvalidDataException>(() => Parse(header));
        header[12] = 0x22;
        Assert.Throws<InvalidDataException>(() => Parse(header));
    }

    [Fact]
    public void AVersionTwoHeaderLongerThanTheServerTakesIsRefusedBeforeItsBodyIsRead()
    {
        var header = V2(command: 1, family: 0x11, []);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), 60_000);
        Assert.Throws<InvalidDataException>(() => ProxyProtocol.V2BodyLength(header));
    }

    [Fact]
    public async Task ReadingTakesTheHeaderAndLeavesWhatFollowsItInTheSocket()
    {
        var v2 = V2(command: 1, family: 0x11, Addresses(IPAddress.Parse("203.0.113.7"), IPAddress.Parse("10.0.0.9"), 56324, 12345));
        var v1 = "PROXY TCP4 198.51.100.1 10.0.0.9 1234 12345\r\n"u8.ToArray();
        foreach (var (header, client) in new[] { (v2, "203.0.113.7:56324"), (v1, "198.51.100.1:1234") })
        {
            var (server, peer) = await ConnectedPairAsync();
            using (server)
            using (peer)
            {
                // the header in pieces, then the client's first line at once behind it
                await peer.SendAsync(header.AsMemory(0, 5));
                await peer.SendAsync(header.AsMemory(5).ToArray().Concat("{\"type\":\"ping\"}\n"u8.ToArray()).ToArray());
                using var timeout = new CancellationTokenSource(Waits.Frame);
                Assert.Equal(client, (await ProxyProtocol.ReadClientAsync(server, Proxy, timeout.Token)).ToString());
                var rest = new byte[64];
                var count = await server.ReceiveAsync(rest);
                Assert.Equal("{\"type\":\"ping\"}\n", Encoding.ASCII.GetString(rest, 0, count));
            }
        }
    }

    [Fact]
    public async Task AConnectionThatDoesNotStartWithAHeaderIsRefused()
    {
        var (server, peer) = await ConnectedPairAsync();
        using (server)
        using (peer)
        {
            await peer.SendAsync("{\"type\":\"hello\",\"user\":\"alice\"}\n"u8.ToArray());
            using var timeout = new CancellationTokenSource(Waits.Frame);
            await Assert.ThrowsAsync<InvalidDataException>(() => ProxyProtocol.ReadClientAsync(server, Proxy, timeout.Token));
        }
    }

    private static IPEndPoint Parse(byte[] header) => ProxyProtocol.ParseV2(header.AsSpan(0, 16), header.AsSpan(16), Proxy);

    private static byte[] V2(int command, int family, byte[] body)
    {
        byte[] start = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, (byte)(0x20 | command), (byte)family, 0, 0];
        BinaryPrimitives.WriteUInt16BigEndian(start.AsSpan(14), (ushort)body.Length);
        return [.. start, .. body];
    }

    private static byte[] Addresses(IPAddress source, IPAddress destination, ushort sourcePort, ushort destinationPort)
    {
        var ports = new byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(ports, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(ports.AsSpan(2), destinationPort);
        return [.. source.GetAddressBytes(), .. destination.GetAddressBytes(), .. ports];
    }

    private static async Task<(Socket Server, Socket Peer)> ConnectedPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await peer.ConnectAsync(listener.LocalEndPoint!);
        return (await listener.AcceptAsync(), peer);
    }
}
