using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Parley.Protocol.Frames;
using Parley.Server.Transports;
using Parley.Testing;

namespace Parley.Server.Tests.Tls;

/// <summary>Both endpoints with a certificate: lines inside TLS on the TCP port, HTTPS and wss:// on the HTTP port.</summary>
public sealed class TlsEndpointTests
{

    [Fact]
    public async Task AClientOverTlsOnTheTcpPortAndOneOverWssChatWithEachOther()
    {
        await using var server = await TestServer.StartTlsAsync();
        await using var alice = await server.HelloAsync(Transport.Tcp, "alice");
        await using var bob = await server.HelloAsync(Transport.WebSocket, "bob");

        await alice.SendAsync(new SendFrame { Id = "a1", To = "#lobby", Text = "over TLS" });
        Assert.Equal("ack", (await alice.ReplyAsync("a1")).Type());
        var (message, _) = await bob.WaitForAsync(f => f.Is("message"));
        Assert.Equal("over TLS", message.Str("text"));
        Assert.Equal("alice", message.Str("from"));

        await bob.SendAsync(new SendFrame { Id = "b1", To = "alice", Text = "and back" });
        var (direct, _) = await alice.WaitForAsync(f => f.Is("message"));
        Assert.Equal("and back", direct.Str("text"));
        Assert.Equal(server.Certificate!.Certificate.Thumbprint, alice.RemoteCertificate!.Thumbprint);
    }

    [Fact]
    public async Task PlainTextOnTheTlsPortIsClosedAndTheServerKeepsServing()
    {
        await using var server = await TestServer.StartTlsAsync();
        await using var alice = await server.HelloAsync(Transport.Tcp, "alice");

        using (var plain = new TcpClient())
        {
            await plain.ConnectAsync(server.Tcp).WaitAsync(Waits.Frame);
            var stream = plain.GetStream();
            await stream.WriteAsync("{\"type\":\"hello\",\"user\":\"mallory\"}\n"u8.ToArray()).AsTask().WaitAsync(Waits.Frame);
            // whatever the server says (a TLS alert), it is no welcome, and then the connection ends
            var said = await ReadToEndAsync(stream);
            Assert.DoesNotContain("welcome", Encoding.Latin1.GetString(said), StringComparison.Ordinal);
        }

        await alice.SendAsync(new SendFrame { Id = "a1", To = "#lobby", Text = "still here" });
        Assert.Equal("ack", (await alice.ReplyAsync("a1")).Type());
        await using var bob = await server.HelloAsync(Transport.Tcp, "bob");
        Assert.Equal("bob", bob.Welcome!.Value.Str("user"));
    }

    [Fact]
    public async Task AClientThatNeverFinishesTheHandshakeIsClosedOnceTheHandshakeTimeoutIsOver()
    {
        await using var server = await TestServer.StartTlsAsync(new Dictionary<string, string> { ["Parley:TlsHandshakeTimeout"] = "00:00:01" });
        using var silent = new TcpClient();
        await silent.ConnectAsync(server.Tcp).WaitAsync(Waits.Frame);
        var connected = Stopwatch.StartNew();

        var said = await ReadToEndAsync(silent.GetStream());

        Assert.Empty(said);
        Assert.True(connected.Elapsed >= TimeSpan.FromSeconds(0.9), $"closed after {connected.Elapsed}, before the timeout");
    }

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task TlsOneTwoAndOneThreeAreSpoken(SslProtocols protocol)
    {
        await using var server = await TestServer.StartTlsAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Tcp).WaitAsync(Waits.Frame);
        await using var tls = new SslStream(tcp.GetStream());

        await tls.AuthenticateAsClientAsync(ClientOptions(server.Certificate!, protocol)).WaitAsync(Waits.Frame);

        Assert.Equal(protocol, tls.SslProtocol);
    }

    [Fact]
    public async Task EveryHandshakeOffersTlsOneTwoAndOneThreeOnly()
    {
        // Debian's OpenSSL does not speak TLS 1.1 even when asked (no cipher suite is left at its
        // security level), so a refusal could not be seen on the wire: the options of the handshakes say it
        await using var server = await TestServer.StartTlsAsync();
        var certificate = server.Host.Services.GetRequiredService<TlsCertificate>();

        var options = ServerTlsOptions.For(certificate);

        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, options.EnabledSslProtocols);
        Assert.Equal(server.Certificate!.Certificate.Thumbprint, options.ServerCertificateContext!.TargetCertificate.Thumbprint);
    }

    [Fact]
    public async Task HttpsResponsesCarryHsts()
    {
        await using var server = await TestServer.StartTlsAsync();
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == server.Certificate!.Certificate.GetCertHashString();
        using var http = new HttpClient(handler) { Timeout = Waits.Frame };
        // under the name a deployment has: the framework leaves HSTS off for localhost and loopback addresses
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{server.Http}/");
        request.Headers.Host = "chat.example.org";

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
        // at its loopback address the same server leaves it off: a browser would refuse plain sites on 127.0.0.1 for a year
        using var atLoopback = await http.GetAsync(new Uri($"https://{server.Http}/"));
        Assert.False(atLoopback.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task PlainHttpResponsesCarryNoHsts()
    {
        await using var server = await TestServer.StartAsync();
        using var http = server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "chat.example.org";

        using var response = await http.SendAsync(request).WaitAsync(Waits.Frame);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    internal static SslClientAuthenticationOptions ClientOptions(TestCertificate trusted, SslProtocols protocols) => new()
    {
        TargetHost = "localhost",
        EnabledSslProtocols = protocols,
        RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == trusted.Certificate.GetCertHashString(),
    };

    // reads until the peer closes (a reset counts as closed); fails the test if it stays open
    internal static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(Waits.Frame);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // reset by the server: closed all the same
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("The server kept the connection open.");
        }
        return received.ToArray();
    }
}
