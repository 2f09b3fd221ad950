using Parley.Server.Hosting;
using Parley.Testing;

namespace Parley.Server.Tests.Tls;

/// <summary>What a start with a certificate refuses, in one line naming the file.</summary>
public sealed class TlsStartTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("parley-tls-start-");

    [Fact]
    public async Task ACertificateFileThatCannotBeReadStopsTheStartInOneLineWithExitCodeOne()
    {
        var missing = Path.Combine(_directory.FullName, "missing.pem");
        using var certificate = TestCertificate.Create(_directory.FullName);
        var database = Path.Combine(_directory.FullName, "parley.db");

        var (exitCode, output) = await ServerProcess.RunToExitAsync("--tcp", "127.0.0.1:0", "--http", "127.0.0.1:0",
            "--db", database, "--tls-cert", missing, "--tls-key", certificate.KeyPath);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"parley: cannot read the TLS certificate {missing}: ", output, StringComparison.Ordinal);
        Assert.Single(output.Trim().Split('\n'));
        // refused before the ports and the database
        Assert.False(File.Exists(database));
    }

    [Fact]
    public async Task AServerProcessWithACertificateSaysItListensWithTlsAndServesIt()
    {
        using var certificate = TestCertificate.Create(_directory.FullName);
        await using var server = await ServerProcess.StartAsync(Path.Combine(_directory.FullName, "parley.db"), null, null,
            "--tls-cert", certificate.CertificatePath, "--tls-key", certificate.KeyPath);

        Assert.Contains($"TCP {server.Tcp} (TLS), browser client https://{server.Http}, WebSocket wss://{server.Http}/ws", server.Output, StringComparison.Ordinal);
        await using var alice = await RawClient.ConnectTlsAsync(server.Tcp, certificate.Certificate);
        await alice.SendAsync(new Parley.Protocol.Frames.HelloFrame { User = "alice" });
        Assert.Equal("welcome", (await alice.NextAsync()).Type());
        Assert.Equal(0, await server.TerminateAsync());
    }

    [Fact]
    public async Task ACertificateWithoutItsKeyIsRefusedWithExitCodeTwo()
    {
        using var certificate = TestCertificate.Create(_directory.FullName);

        var (exitCode, output) = await ServerProcess.RunToExitAsync("--tcp", "127.0.0.1:0", "--http", "127.0.0.1:0",
            "--db", Path.Combine(_directory.FullName, "parley.db"), "--tls-cert", certificate.CertificatePath);

        Assert.Equal(2, exitCode);
        Assert.Equal("parley: --tls-cert and --tls-key go together: give both, or neither.", output.Trim());
    }

    [Fact]
    public async Task AFileThatIsNoCertificateIsRefusedByName()
    {
        using var certificate = TestCertificate.Create(_directory.FullName);
        await File.WriteAllTextAsync(certificate.CertificatePath, "not a certificate\n");

        var refusal = await Assert.ThrowsAsync<IOException>(() => StartAsync(certificate));

        Assert.Equal($"the TLS certificate {certificate.CertificatePath} holds no PEM certificate", refusal.Message);
    }

    [Fact]
    public async Task AKeyOfAnotherCertificateIsRefusedByName()
    {
        using var certificate = TestCertificate.Create(_directory.FullName);
        using var other = TestCertificate.Create(Path.Combine(_directory.FullName, "other"));

        var refusal = await Assert.ThrowsAsync<IOException>(() => StartAsync(certificate, other.KeyPath));

        Assert.StartsWith($"the TLS key {other.KeyPath} is not an unencrypted PEM private key of {certificate.CertificatePath}", refusal.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private async Task StartAsync(TestCertificate certificate, string? keyPath = null)
    {
        await using var host = ParleyHost.Create(["--tcp", "127.0.0.1:0", "--http", "127.0.0.1:0", "--db", Path.Combine(_directory.FullName, "parley.db"),
            "--tls-cert", certificate.CertificatePath, "--tls-key", keyPath ?? certificate.KeyPath]);
        await host.StartAsync();
    }
}
