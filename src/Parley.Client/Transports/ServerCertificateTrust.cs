using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Parley.Client.Transports;

/// <summary>
/// Whether the server's certificate is trusted: as the platform decides (chain to a trusted root, the
/// name matching the address), or, with <see cref="ParleyClientOptions.TrustedCertificate"/>, also
/// when it is that certificate or issued by it (a self-signed server, a private authority). The name is
/// checked either way.
/// </summary>
internal static class ServerCertificateTrust
{
    /// <summary>The callback for <paramref name="trusted"/>; null (the platform's check alone) without one.</summary>
    public static RemoteCertificateValidationCallback? For(X509Certificate2? trusted) =>
        trusted is null ? null : (_, certificate, chain, errors) => IsTrusted(trusted, certificate, chain, errors);

    /// <summary>True when the platform trusts the certificate, or it chains to <paramref name="trusted"/> under the right name.</summary>
    public static bool IsTrusted(X509Certificate2 trusted, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }
        // a wrong name or no certificate at all is not mended by trusting an issuer
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is not X509Certificate2 presented)
        {
            return false;
        }
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(trusted);
        // a self-signed certificate or a private authority publishes no revocation list
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            // the intermediates the server sent
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        return custom.Build(presented);
    }
}
