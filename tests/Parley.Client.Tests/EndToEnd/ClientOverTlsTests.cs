using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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

    [Fact]
    public async Task AServerCertificateFromAnIntermediateIsTrustedThroughItsRootBecauseTheServerSendsTheChain()
    {
        var directory = Directory.CreateTempSubdirectory("parley-chain-");
        try
        {
            var now = DateTimeOffset.UtcNow;
            using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var root = Authority("CN=parley test root", rootKey).CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
            using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var intermediatePublic = Authority("CN=parley test intermediate", intermediateKey).Create(root, now.AddDays(-1), now.AddDays(20), [1]);
            using var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);
            using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var leafRequest = new CertificateRequest("CN=localhost", leafKey, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            leafRequest.CertificateExtensions.Add(names.Build());
            using var leaf = leafRequest.Create(intermediate, now.AddDays(-1), now.AddDays(10), [2]);
            // certbot's fullchain.pem: the server's certificate, then its intermediate
            var fullchain = Path.Combine(directory.FullName, "fullchain.pem");
            var key = Path.Combine(directory.FullName, "privkey.pem");
            await File.WriteAllTextAsync(fullchain, leaf.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem() + "\n");
            await File.WriteAllTextAsync(key, leafKey.ExportPkcs8PrivateKeyPem() + "\n");
            await using var server = await TestServer.StartAsync(new Dictionary<string, string> { ["Parley:TlsCert"] = fullchain, ["Parley:TlsKey"] = key });
            await using var client = new ParleyClient(new ParleyClientOptions { Server = new Uri($"tls://{server.Tcp}"), User = "alice", TrustedCertificate = root });

            var welcome = await client.ConnectAsync().WaitAsync(Waits.Frame);

            Assert.Equal("alice", welcome.User);
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        static CertificateRequest Authority(string name, ECDsa key)
        {
            var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
            return request;
        }
    }

    private static Uri Address(TestServer server, string scheme) =>
        scheme == "tls" ? new Uri($"tls://{server.Tcp}") : server.WebSocketUri;
}
