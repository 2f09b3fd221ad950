using Parley.Testing;

namespace Parley.Tui.Tests.EndToEnd;

/// <summary><c>parley</c> against a server with a self-signed certificate: tls:// and wss://, with and without --trust-cert.</summary>
public sealed class PlainModeOverTlsTests
{
    [Theory]
    [InlineData("tls")]
    [InlineData("wss")]
    public async Task WithTheServersCertificateTrustedAMessageIsSentAndAcknowledged(string scheme)
    {
        await using var server = await TestServer.StartTlsAsync();
        await using var bob = await server.HelloAsync(Transport.Tcp, "bob");

        await using var alice = PlainProcess.Start("--server", Address(server, scheme), "--trust-cert", server.Certificate!.CertificatePath, "--user", "alice");
        await alice.WriteLinesAsync("hello over TLS");
        alice.CloseInput();

        Assert.Equal(0, await alice.ExitCodeAsync());
        var (message, _) = await bob.WaitForAsync(f => f.Is("message"));
        Assert.Equal("hello over TLS", message.Str("text"));
    }

    [Theory]
    [InlineData("tls")]
    [InlineData("wss")]
    public async Task WithoutTrustTheClientCannotStartAndSaysTheHandshakeFailed(string scheme)
    {
        await using var server = await TestServer.StartTlsAsync();

        await using var alice = PlainProcess.Start("--server", Address(server, scheme), "--user", "alice");
        alice.CloseInput();

        Assert.Equal(2, await alice.ExitCodeAsync());
        Assert.Contains("TLS handshake", alice.Errors, StringComparison.Ordinal);
    }

    private static string Address(TestServer server, string scheme) =>
        scheme == "tls" ? $"tls://{server.Tcp}" : server.WebSocketUri.ToString();
}
