using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Parley.Protocol.Frames;
using Parley.Server.Limits;
using Parley.Testing;

namespace Parley.Server.Tests.Deploying;

/// <summary>
/// docs/deploying/haproxy.cfg, as the deploying guide gives it, in front of a plain server: Debian's
/// HAProxy ends TLS for HTTPS, wss:// and tls://, on loopback ports of the test's choosing, and tells the
/// server each client's address (PROXY protocol v2, X-Forwarded-For). One connection per address here, so that
/// every admission shows which address the server counted.
/// </summary>
public sealed class HaproxyTests : IAsyncLifetime
{
    private static readonly IPAddress Alice = IPAddress.Parse("127.0.0.21");
    private static readonly IPAddress Bob = IPAddress.Parse("127.0.0.22");

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "parley-haproxy-" + Guid.NewGuid().ToString("N"));
    private TestServer? _server;
    private TestCertificate? _certificate;
    private int? _haproxyPid;
    private int _httpsPort;
    private int _tlsPort;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            // HAProxy connects from the loopback address the kernel picks for it
            ["Parley:TrustedProxies:0"] = "127.0.0.1",
            ["Parley:Limits:ConnectionsPerAddress"] = "1",
        });
        _certificate = TestCertificate.Create(Path.Combine(_directory, "tls"));
        // HAProxy takes the certificate and its key in one file
        var combined = Path.Combine(_directory, "parley.pem");
        await File.WriteAllTextAsync(combined, await File.ReadAllTextAsync(_certificate.CertificatePath) + await File.ReadAllTextAsync(_certificate.KeyPath));
        (_httpsPort, _tlsPort) = (ServerProcess.FreePort(), ServerProcess.FreePort());

        var configuration = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "docs", "deploying", "haproxy.cfg"));
        configuration = Replace(configuration, "bind :443 ", $"bind 127.0.0.1:{_httpsPort} ");
        configuration = Replace(configuration, "bind :12346 ", $"bind 127.0.0.1:{_tlsPort} ");
        configuration = Replace(configuration, "/etc/haproxy/certs/parley.pem", combined);
        configuration = Replace(configuration, "server parley 127.0.0.1:8080", $"server parley {_server.Http}");
        configuration = Replace(configuration, "server parley 127.0.0.1:12345 ", $"server parley {_server.Tcp} ");
        var file = Path.Combine(_directory, "haproxy.cfg");
        await File.WriteAllTextAsync(file, configuration);

        var pidFile = Path.Combine(_directory, "haproxy.pid");
        // -D: it checks the file, binds and goes to the background, or exits with the reason
        await ExternalCommand.RunAsync(Haproxy(), "-D", "-f", file, "-p", pidFile);
        _haproxyPid = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), CultureInfo.InvariantCulture);
        await WaitUntilListeningAsync(_httpsPort);
        await WaitUntilListeningAsync(_tlsPort);
    }

    [Fact]
    public async Task ClientsOverTlsAndWssChatThroughHaproxyAndHttpsResponsesCarryHsts()
    {
        var certificate = _certificate!.Certificate;
        await using var alice = await TlsAsync(Alice);
        await alice.SendAsync(new HelloFrame { User = "alice" });
        Assert.Equal("welcome", (await alice.NextAsync()).Type());
        await using var bob = await WssAsync(Bob);
        await bob.SendAsync(new HelloFrame { User = "bob" });
        Assert.Equal("welcome", (await bob.NextAsync()).Type());

        await alice.SendAsync(new SendFrame { Id = "a1", To = "#lobby", Text = "through the proxy" });
        Assert.Equal("ack", (await alice.ReplyAsync("a1")).Type());
        var (message, _) = await bob.WaitForAsync(f => f.Is("message"));
        Assert.Equal("through the proxy", message.Str("text"));
        Assert.Equal(certificate.Thumbprint, alice.RemoteCertificate!.Thumbprint);

        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString();
        using var http = new HttpClient(handler) { Timeout = Waits.Frame };
        using var page = await http.GetAsync(new Uri($"https://127.0.0.1:{_httpsPort}/"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("max-age=31536000", Assert.Single(page.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task TheServerCountsEachClientByItsOwnAddressNotTheProxys()
    {
        var gate = _server!.Host.Services.GetRequiredService<ConnectionGate>();
        await using var alice = await TlsAsync(Alice);
        await using var bob = await WssAsync(Bob);
        await alice.SendAsync(new PingFrame { Id = "p" });
        Assert.Equal("error", (await alice.ReplyAsync("p")).Type());
        await bob.SendAsync(new PingFrame { Id = "p" });
        Assert.Equal("error", (await bob.ReplyAsync("p")).Type());
        Assert.Equal(1, gate.OpenFrom(Alice));
        Assert.Equal(1, gate.OpenFrom(Bob));
        Assert.Equal(0, gate.OpenFrom(IPAddress.Loopback));

        // a second connection from either is over its limit, though the proxy carries both
        await using var aliceAgain = await TlsAsync(Alice);
        Assert.Equal("too_many_connections", Assert.Single(await aliceAgain.ClosedAsync()).Str("code"));
        var refused = await Assert.ThrowsAsync<HandshakeRefusedException>(() => WssAsync(Bob));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
    }

    public async Task DisposeAsync()
    {
        if (_haproxyPid is { } pid)
        {
            using var haproxy = Process.GetProcessById(pid);
            haproxy.Kill();
            await haproxy.WaitForExitAsync().WaitAsync(Waits.Long);
        }
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        _certificate?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private Task<RawClient> TlsAsync(IPAddress from) =>
        RawClient.ConnectTlsAsync(new IPEndPoint(IPAddress.Loopback, _tlsPort), _certificate!.Certificate, from: from);

    private Task<RawClient> WssAsync(IPAddress from) =>
        RawClient.ConnectSecureWebSocketAsync(new Uri($"wss://127.0.0.1:{_httpsPort}/ws"), _certificate!.Certificate, from);

    // the guide's file must still say what the test replaces, or the test is no longer of that file
    private static string Replace(string configuration, string said, string instead)
    {
        Assert.Contains(said, configuration, StringComparison.Ordinal);
        return configuration.Replace(said, instead, StringComparison.Ordinal);
    }

    // Debian puts it in /usr/sbin, which a test runner's PATH may lack; test.sh installs the package
    private static string Haproxy()
    {
        const string Debian = "/usr/sbin/haproxy";
        Assert.True(File.Exists(Debian), $"{Debian} is missing: run ./test.sh, which installs the Debian package haproxy.");
        return Debian;
    }

    private static async Task WaitUntilListeningAsync(int port)
    {
        using var timeout = new CancellationTokenSource(Waits.Long);
        while (true)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
                return;
            }
            catch (SocketException)
            {
                // polling a port has no event to await: a short pause between tries
                await Task.Delay(50, timeout.Token);
            }
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Parley.slnx")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Run the tests from inside the repository.");
    }
}
