using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Transports;
using Parley.Testing;

namespace Parley.Server.Tests.Tls;

/// <summary>The certificate files are watched: a renewed pair serves new connections without a restart, a broken one is not taken.</summary>
public sealed class CertificateRenewalTests
{
    private static readonly Dictionary<string, string> QuickChecks = new() { ["Parley:TlsCheckInterval"] = "00:00:00.100" };

    [Fact]
    public async Task ARenewedPairWrittenOverTheFilesServesTheNextConnectionsOnBothEndpoints()
    {
        await using var server = await TestServer.StartTlsAsync(QuickChecks);
        await using var before = await server.HelloAsync(Transport.Tcp, "alice");
        Assert.Equal(server.Certificate!.Certificate.Thumbprint, await PresentedAsync(server.Tcp));

        using var renewed = server.Certificate.Renew();

        await WaitUntilPresentedAsync(server.Tcp, renewed.Certificate.Thumbprint);
        Assert.Equal(renewed.Certificate.Thumbprint, await PresentedAsync(server.Http));
        // the connection made before the renewal goes on
        await before.SendAsync(new Parley.Protocol.Frames.SendFrame { Id = "a1", To = "#lobby", Text = "still here" });
        Assert.Equal("ack", (await before.ReplyAsync("a1")).Type());
    }

    [Fact]
    public async Task APairThatDoesNotLoadLeavesTheCertificateInUseAndIsSaidOnce()
    {
        await using var server = await TestServer.StartTlsAsync(QuickChecks);
        var original = server.Certificate!.Certificate.Thumbprint;
        // a key that belongs to another certificate
        using var other = TestCertificate.Create(Path.Combine(server.Directory, "other"));
        File.Copy(other.KeyPath, server.Certificate.KeyPath, overwrite: true);

        await WaitUntilAsync(() => server.Logs.Warnings.Any(w => w.Contains("do not load", StringComparison.Ordinal)));
        Assert.Equal(original, await PresentedAsync(server.Tcp));
        // more checks of the same broken pair say nothing more
        var source = server.Host.Services.GetRequiredService<TlsCertificate>();
        source.Check();
        source.Check();
        Assert.Single(server.Logs.Warnings, w => w.Contains("do not load", StringComparison.Ordinal));

        // a good pair afterwards is taken
        using var renewed = server.Certificate.Renew();
        await WaitUntilPresentedAsync(server.Tcp, renewed.Certificate.Thumbprint);
    }

    // the thumbprint of the certificate a new TLS connection is given
    private static async Task<string> PresentedAsync(IPEndPoint endpoint)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint).WaitAsync(Waits.Frame);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            // any certificate: what is presented is what this test looks at
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }).WaitAsync(Waits.Frame);
        return tls.RemoteCertificate!.GetCertHashString();
    }

    private static Task WaitUntilPresentedAsync(IPEndPoint endpoint, string thumbprint) =>
        WaitUntilAsync(async () => await PresentedAsync(endpoint) == thumbprint);

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    // a poll bounded by Waits.Long: the server checks its files every 100 ms, so this loops a few times
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var deadline = new CancellationTokenSource(Waits.Long);
        while (!await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
        }
    }
}
