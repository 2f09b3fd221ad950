using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Server.Hosting;

namespace Parley.Testing;

/// <summary>
/// A real Parley server in this process, on free loopback ports, with its own database file.
/// Disposing it fails the test if the server logged an error the test did not expect.
/// </summary>
public sealed class TestServer : IServerUnderTest
{
    private readonly bool _ownsDirectory;
    // a TLS server's directory, made before the server to hold its certificate
    private bool _ownsCreatedDirectory;

    private TestServer(ParleyHost host, CapturedLogs logs, string directory, bool ownsDirectory, string databasePath)
    {
        Host = host;
        Logs = logs;
        Directory = directory;
        _ownsDirectory = ownsDirectory;
        DatabasePath = databasePath;
    }

    /// <summary>The running server.</summary>
    public ParleyHost Host { get; }

    /// <summary>Warnings and errors the server logged.</summary>
    public CapturedLogs Logs { get; }

    /// <summary>A directory for this server's files.</summary>
    public string Directory { get; }

    /// <summary>The SQLite database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Set when the test provokes server errors on purpose.</summary>
    public bool ErrorsExpected { get; set; }

    /// <summary>The TCP endpoint.</summary>
    public IPEndPoint Tcp => Host.TcpEndpoint;

    /// <summary>The HTTP endpoint.</summary>
    public IPEndPoint Http => Host.HttpEndpoint;

    /// <summary>The certificate both endpoints speak TLS with, when started with one.</summary>
    public TestCertificate? Certificate { get; private init; }

    /// <summary>The WebSocket address (<c>wss://</c> with TLS).</summary>
    public Uri WebSocketUri => new($"{(Certificate is null ? "ws" : "wss")}://{Http}/ws");

    /// <summary>The browser client's address (<c>https://</c> with TLS).</summary>
    public Uri WebUri => new($"{(Certificate is null ? "http" : "https")}://{Http}/");

    /// <summary>
    /// Starts a server. <paramref name="settings"/> are extra configuration (<c>Parley:IdleTimeout</c> = <c>00:00:01</c>, ...).
    /// Pass <paramref name="directory"/> to reopen the database of an earlier server. <paramref name="configure"/>
    /// runs once the server's services are registered (a test may wrap one of them).
    /// </summary>
    public static async Task<TestServer> StartAsync(IDictionary<string, string>? settings = null, string? directory = null, Action<WebApplicationBuilder>? configure = null) =>
        await StartAsync(settings, directory, configure, certificate: null);

    /// <summary>
    /// Starts a server whose endpoints speak TLS with a certificate made for it (<see cref="Certificate"/>):
    /// TCP lines inside TLS, HTTPS and <c>wss://</c>.
    /// </summary>
    public static async Task<TestServer> StartTlsAsync(IDictionary<string, string>? settings = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "parley-test-" + Guid.NewGuid().ToString("N"));
        var certificate = TestCertificate.Create(Path.Combine(directory, "tls"));
        var all = certificate.Settings;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }
        var server = await StartAsync(all, directory, configure: null, certificate);
        server._ownsCreatedDirectory = true;
        return server;
    }

    private static async Task<TestServer> StartAsync(IDictionary<string, string>? settings, string? directory, Action<WebApplicationBuilder>? configure, TestCertificate? certificate)
    {
        var ownsDirectory = directory is null;
        directory ??= Path.Combine(Path.GetTempPath(), "parley-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var databasePath = Path.Combine(directory, "parley.db");
        var args = new List<string> { "--tcp", "127.0.0.1:0", "--http", "127.0.0.1:0", "--db", databasePath };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            args.Add($"--{key}={value}");
        }
        var logs = new CapturedLogs();
        var host = ParleyHost.Create([.. args], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
            configure?.Invoke(builder);
        });
        // listening before the server starts, so that it hears every measurement
        var counters = new CounterTotals(host.Services.GetRequiredService<IMeterFactory>());
        try
        {
            await host.StartAsync();
        }
        catch
        {
            counters.Dispose();
            throw;
        }
        return new TestServer(host, logs, directory, ownsDirectory, databasePath) { Certificate = certificate, Counters = counters };
    }

    /// <summary>The server's counters, as its meter gives them.</summary>
    public required CounterTotals Counters { get; init; }

    /// <summary>Opens a raw connection over a transport.</summary>
    public Task<RawClient> ConnectAsync(Transport transport) => (transport, Certificate) switch
    {
        (Transport.Tcp, null) => RawClient.ConnectTcpAsync(Tcp),
        (Transport.Tcp, { } tls) => RawClient.ConnectTlsAsync(Tcp, tls.Certificate),
        (_, null) => RawClient.ConnectWebSocketAsync(WebSocketUri),
        (_, { } tls) => RawClient.ConnectSecureWebSocketAsync(WebSocketUri, tls.Certificate),
    };

    /// <summary>Connects and says hello; returns once welcomed.</summary>
    public async Task<RawClient> HelloAsync(Transport transport, string user, string? password = null)
    {
        var client = await ConnectAsync(transport);
        await client.SendAsync(new Parley.Protocol.Frames.HelloFrame { User = user, Password = password });
        var welcome = await client.NextAsync();
        Assert.Equal("welcome", welcome.Type());
        client.Welcome = welcome;
        return client;
    }

    /// <summary>An HTTP client for <see cref="WebUri"/>: with TLS, it trusts exactly this server's certificate.</summary>
    public HttpClient CreateHttpClient()
    {
        if (Certificate is not { } tls)
        {
            return new HttpClient { BaseAddress = WebUri };
        }
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
            presented?.GetCertHashString() == tls.Certificate.GetCertHashString();
        return new HttpClient(handler) { BaseAddress = WebUri };
    }

    /// <summary>Stops the server gracefully (clients get server_shutdown).</summary>
    public Task StopAsync() => Host.StopAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
        Counters.Dispose();
        Certificate?.Dispose();
        if (_ownsDirectory || _ownsCreatedDirectory)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // a file still open; the temp directory is cleaned by the system
            }
        }
        if (!ErrorsExpected && Logs.Errors.Count > 0)
        {
            Assert.Fail("The server logged errors:\n" + string.Join("\n", Logs.Errors));
        }
    }
}
