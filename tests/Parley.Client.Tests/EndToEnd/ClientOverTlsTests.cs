using Parley.Client;
using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Client.Tests.EndToEnd;

/// <summary>The client library against a server with a self-signed certificate, over tls:// and wss://.</summary>
public sealed class ClientOverTlsTests
{
    [Theory]
    [InlineData("tls")]
    [InlineData("wss")]
    public async Task TrustingTheServersCertificateTheClientChats(string scheme)
    {
        await using var server = await TestServer.StartTlsAsync();
        var trusted = server.Certificate!.Certificate;
        await using var alice = new ParleyClient(new ParleyClientOptions { Server = Address(server, scheme), User = "alice", TrustedCertificate = trusted });
        await using var bob = new ParleyClient(new ParleyClientOptions { Server = Address(server, scheme), User = "bob", TrustedCertificate = trusted });
        await alice.ConnectAsync().WaitAsync(Waits.Frame);
        await bob.ConnectAsync().WaitAsync(Waits.Frame);
        var received = bob.ReadFramesAsync().OfType<MessageFrame>().FirstAsync().AsTask();

        var ack = await alice.SendAsync("#lobby", "inside TLS").WaitAsync(Waits.Frame);

        var message = await received.WaitAsync(Waits.Frame);
        Assert.Equal(("alice", "inside TLS", ack.Seq), (message.From, message.Text, message.Seq));
    }

    [Theory]
    [InlineData("tls")]
    [InlineData("wss")]
    public async Task WithoutTrustASelfSignedServerIsRefusedAndTheReasonSaysTls(string scheme)
    {
        await using var server = await TestServer.StartTlsAsync();
        await using var client = new ParleyClient(new ParleyClientOptions { Server = Address(server, scheme), User = "alice" });

        var failure = await Assert.ThrowsAsync<ParleyException>(() => client.ConnectAsync().WaitAsync(Waits.Frame));

        Assert.Equal(ClientErrorCodes.Unreachable, failure.Code);
        Assert.Contains("TLS handshake", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherSelfSignedCertificateIsNoReasonToTrustTheServer()
    {
        await using var server = await TestServer.StartTlsAsync();
        using var stranger = TestCertificate.Make("someone-else");
        await using var client = new ParleyClient(new ParleyClientOptions { Server = Address(server, "tls"), User = "alice", TrustedCertificate = stranger });

        var failure = await Assert.ThrowsAsync<ParleyException>(() => client.ConnectAsync().WaitAsync(Waits.Frame));

        Assert.Contains("TLS handshake", failure.Message, StringComparison.Ordinal);
    }

    private static Uri Address(TestServer server, string scheme) =>
        scheme == "tls" ? new Uri($"tls://{server.Tcp}") : server.WebSocketUri;
}
