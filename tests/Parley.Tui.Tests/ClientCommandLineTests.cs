namespace Parley.Tui.Tests;

public class ClientCommandLineTests
{
    [Fact]
    public void DefaultsToTheLocalServerOnPort12345()
    {
        var options = ClientCommandLine.Parse([]);
        Assert.Equal(new Uri("tcp://127.0.0.1:12345"), options.Server);
        Assert.Null(options.User);
        Assert.False(options.Plain);
    }

    [Fact]
    public void ReadsEveryOptionWithSpaceOrEquals()
    {
        var options = ClientCommandLine.Parse(["--server=127.0.0.1:4000", "--user", "alice", "--password-stdin", "--plain"]);
        Assert.Equal(new Uri("tcp://127.0.0.1:4000"), options.Server);
        Assert.Equal("127.0.0.1:4000", options.ServerText);
        Assert.Equal("alice", options.User);
        Assert.True(options.PasswordFromStdin);
        Assert.True(options.Plain);
    }

    [Fact]
    public void AckTimeoutIsSecondsAndMustBePositive()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), ClientCommandLine.Parse([]).AckTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2.5), ClientCommandLine.Parse(["--ack-timeout", "2.5"]).AckTimeout);
        Assert.Throws<FormatException>(() => ClientCommandLine.Parse(["--ack-timeout", "0"]));
        Assert.Throws<FormatException>(() => ClientCommandLine.Parse(["--ack-timeout", "soon"]));
    }

    [Fact]
    public void UnknownOptionIsAnErrorThatNamesIt() =>
        Assert.Contains("--colour", Assert.Throws<FormatException>(() => ClientCommandLine.Parse(["--colour"])).Message, StringComparison.Ordinal);

    [Fact]
    public void OptionWithoutValueIsAnError() =>
        Assert.Contains("--user", Assert.Throws<FormatException>(() => ClientCommandLine.Parse(["--user"])).Message, StringComparison.Ordinal);

    [Fact]
    public void TakesTlsAddressesAndACertificateToTrust()
    {
        var directory = Directory.CreateTempSubdirectory("parley-trust-");
        try
        {
            using var certificate = Parley.Testing.TestCertificate.Create(directory.FullName);
            var options = ClientCommandLine.Parse(["--server", "tls://127.0.0.1:6697", "--trust-cert", certificate.CertificatePath]);
            Assert.Equal(new Uri("tls://127.0.0.1:6697"), options.Server);
            Assert.Equal(certificate.Certificate.Thumbprint, options.TrustedCertificate?.Thumbprint);
            Assert.Null(ClientCommandLine.Parse(["--server", "wss://127.0.0.1:8443/ws"]).TrustedCertificate);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void ACertificateToTrustThatCannotBeReadIsAnErrorThatNamesTheFile() =>
        Assert.Contains("/nowhere/cert.pem", Assert.Throws<FormatException>(() => ClientCommandLine.Parse(["--trust-cert", "/nowhere/cert.pem"])).Message, StringComparison.Ordinal);
}
