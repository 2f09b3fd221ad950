using System.Net.Security;
using System.Security.Authentication;

namespace Parley.Server.Transports;

/// <summary>What both endpoints ask of a TLS handshake: the current certificate, TLS 1.2 or 1.3, and the platform's defaults for the rest (cipher suites, curves).</summary>
internal static class ServerTlsOptions
{
    /// <summary>
    /// TLS 1.2 and 1.3 only, whatever the system's OpenSSL configuration allows: 1.0 and 1.1 are
    /// deprecated (RFC 8996), and every client Parley has speaks 1.2 at least.
    /// </summary>
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>The options of one handshake, with <paramref name="applicationProtocol"/> offered in ALPN when given (HTTP/1.1 on the HTTP endpoint).</summary>
    public static SslServerAuthenticationOptions For(TlsCertificate certificate, SslApplicationProtocol? applicationProtocol = null) => new()
    {
        ServerCertificateContext = certificate.Current,
        EnabledSslProtocols = Protocols,
        ClientCertificateRequired = false,
        ApplicationProtocols = applicationProtocol is { } protocol ? [protocol] : null,
    };
}
