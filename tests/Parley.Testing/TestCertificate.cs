using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Parley.Testing;

/// <summary>
/// A self-signed certificate for 127.0.0.1 and localhost, made by the test (ECDSA P-256), with its PEM
/// files written where a server can be pointed at them.
/// </summary>
public sealed class TestCertificate : IDisposable
{
    private TestCertificate(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        Certificate = certificate;
        CertificatePath = certificatePath;
        KeyPath = keyPath;
    }

    /// <summary>The certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate as a PEM file (what <c>--tls-cert</c> and a client's trust option take).</summary>
    public string CertificatePath { get; }

    /// <summary>The private key as a PEM file (<c>--tls-key</c>).</summary>
    public string KeyPath { get; }

    /// <summary>The server settings that turn TLS on with this certificate.</summary>
    public Dictionary<string, string> Settings => new()
    {
        ["Parley:TlsCert"] = CertificatePath,
        ["Parley:TlsKey"] = KeyPath,
    };

    /// <summary>Makes a certificate named <paramref name="name"/> and writes <c>cert.pem</c> and <c>key.pem</c> into <paramref name="directory"/>.</summary>
    public static TestCertificate Create(string directory, string name = "parley-test")
    {
        Directory.CreateDirectory(directory);
        var certificate = Make(name);
        var certificatePath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        WritePem(certificate, certificatePath, keyPath);
        return new TestCertificate(certificate, certificatePath, keyPath);
    }

    /// <summary>Makes a new certificate and writes it over the files of this one, as a renewal does.</summary>
    public TestCertificate Renew(string name = "parley-test-renewed")
    {
        var certificate = Make(name);
        WritePem(certificate, CertificatePath, KeyPath);
        return new TestCertificate(certificate, CertificatePath, KeyPath);
    }

    /// <summary>Writes a PEM pair (the certificate; its key, unencrypted PKCS#8) to the two paths.</summary>
    public static void WritePem(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The certificate has no ECDSA key.");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>A self-signed ECDSA P-256 certificate for 127.0.0.1, ::1 and localhost, valid from yesterday for 30 days.</summary>
    public static X509Certificate2 Make(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }

    /// <inheritdoc />
    public void Dispose() => Certificate.Dispose();
}
