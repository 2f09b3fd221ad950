using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Parley.Client.Transports;
using Parley.Testing;

namespace Parley.Client.Tests;

/// <summary>What the trust option accepts: the given certificate or one it issued, under the right name; nothing else.</summary>
public sealed class ServerCertificateTrustTests
{
    [Fact]
    public void WhatThePlatformTrustsIsTrustedWithOrWithoutTheOption()
    {
        using var certificate = TestCertificate.Make("server");
        using var other = TestCertificate.Make("other");
        Assert.True(ServerCertificateTrust.IsTrusted(other, certificate, null, SslPolicyErrors.None));
        Assert.Null(ServerCertificateTrust.For(null));
    }

    [Fact]
    public void TheTrustedSelfSignedCertificateItselfIsTrusted()
    {
        using var certificate = TestCertificate.Make("server");
        using var copy = X509CertificateLoader.LoadCertificate(certificate.RawData);
        Assert.True(ServerCertificateTrust.IsTrusted(copy, certificate, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void ACertificateIssuedByTheTrustedAuthorityIsTrusted()
    {
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest("CN=parley test authority", authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var now = DateTimeOffset.UtcNow;
        using var authority = authorityRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=server", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        using var server = serverRequest.Create(authority, now.AddDays(-1), now.AddDays(10), [1, 2, 3, 4]);
        using var stranger = TestCertificate.Make("stranger");

        Assert.True(ServerCertificateTrust.IsTrusted(authority, server, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(ServerCertificateTrust.IsTrusted(stranger, server, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void AWrongNameOrNoCertificateIsNotMendedByTrust()
    {
        using var certificate = TestCertificate.Make("server");
        Assert.False(ServerCertificateTrust.IsTrusted(certificate, certificate, null, SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(ServerCertificateTrust.IsTrusted(certificate, null, null, SslPolicyErrors.RemoteCertificateNotAvailable));
    }
}
