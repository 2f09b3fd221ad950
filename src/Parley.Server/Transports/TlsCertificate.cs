using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Net.Security;
using Parley.Server.Diagnostics;

namespace Parley.Server.Transports;

/// <summary>
/// The server's certificate, from a PEM pair on disk, kept current for both endpoints: the files are
/// read again on every check, and a renewed pair (as certbot or another ACME client writes it) serves
/// the connections that start after it loaded. A pair that does not load leaves the one in use, and
/// says so once.
/// </summary>
/// <remarks>
/// The files are compared by content, not by time or inode: certbot swaps symbolic links in
/// <c>live/</c> to new files in <c>archive/</c>, and reading through the link sees the new pair. A
/// changed pair is taken only once it reads the same at two checks in a row, so that one caught
/// between the writes of its certificate and of its key is not tried.
/// </remarks>
internal sealed partial class TlsCertificate(string certificatePath, string keyPath, TimeProvider time, ILogger<TlsCertificate> logger) : IDisposable
{
    private readonly Lock _checking = new();
    private SslStreamCertificateContext? _current;
    private ITimer? _timer;
    // what the files said when the pair in use was loaded, at the last check, and when a pair was refused
    private string _loaded = "";
    private string? _seen;
    private string? _refused;

    /// <summary>The certificate (with its chain) to give a client that starts a handshake now.</summary>
    public SslStreamCertificateContext Current =>
        Volatile.Read(ref _current) ?? throw new InvalidOperationException("The certificate has not been loaded.");

    /// <summary>Loads the pair, then checks the files every <paramref name="checkInterval"/>.</summary>
    /// <exception cref="IOException">A file cannot be read, or the two do not make a certificate and its key; the message names the file.</exception>
    public void Start(TimeSpan checkInterval)
    {
        var (certificatePem, keyPem) = Read();
        Volatile.Write(ref _current, Load(certificatePem, keyPem));
        _loaded = _seen = certificatePem + keyPem;
        _timer = time.CreateTimer(static state => ((TlsCertificate)state!).Check(), this, checkInterval, checkInterval);
    }

    /// <summary>Reads the files once and takes a renewed pair that read the same at the check before.</summary>
    public void Check()
    {
        lock (_checking)
        {
            string contents;
            IOException? unreadable = null;
            string certificatePem = "", keyPem = "";
            try
            {
                (certificatePem, keyPem) = Read();
                contents = certificatePem + keyPem;
            }
            catch (IOException e)
            {
                // a file being replaced; said only if it stays unreadable
                unreadable = e;
                contents = "unreadable: " + e.Message;
            }
            var settled = contents == _seen;
            _seen = contents;
            if (contents == _loaded || !settled || contents == _refused)
            {
                return;
            }
            try
            {
                var renewed = unreadable is null ? Load(certificatePem, keyPem) : throw unreadable;
                Volatile.Write(ref _current, renewed);
                _loaded = contents;
                _refused = null;
                LogRenewed(certificatePath, renewed.TargetCertificate.Subject, renewed.TargetCertificate.NotAfter.ToUniversalTime());
            }
            catch (Exception e)
            {
                // whatever a pair on disk does wrong, it runs on a timer: it must not reach anything else
                _refused = contents;
                LogRefused(e.Message);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _timer?.Dispose();

    private (string Certificate, string Key) Read() => (ReadFile(certificatePath, "certificate"), ReadFile(keyPath, "key"));

    private static string ReadFile(string path, string what)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new IOException($"cannot read the TLS {what} {path}: {e.Message}", e);
        }
    }

    private SslStreamCertificateContext Load(string certificatePem, string keyPem)
    {
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(certificatePem);
        }
        catch (CryptographicException e)
        {
            throw new IOException($"the TLS certificate {certificatePath} is not a valid PEM certificate: {e.Message}", e);
        }
        if (chain.Count == 0)
        {
            throw new IOException($"the TLS certificate {certificatePath} holds no PEM certificate");
        }
        X509Certificate2 leaf;
        try
        {
            // the first certificate of the file is the server's; the rest (certbot's fullchain.pem) its intermediates
            leaf = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new IOException($"the TLS key {keyPath} is not an unencrypted PEM private key of {certificatePath}: {e.Message}", e);
        }
        // the key stays as loaded from PEM: OpenSSL (Linux) signs with it directly, where Windows' SChannel
        // would want a PKCS#12 round trip first; the TLS tests handshake with exactly this certificate.
        // offline: the chain is what the file gives; no fetching of intermediates while serving
        return SslStreamCertificateContext.Create(leaf, [.. chain.Skip(1)], offline: true);
    }

    [LoggerMessage(EventId = ParleyEventIds.TlsCertificateRenewed, Level = LogLevel.Information,
        Message = "Loaded the renewed TLS certificate {Path} ({Subject}, valid until {NotAfter:u}); new connections get it")]
    private partial void LogRenewed(string path, string subject, DateTime notAfter);

    [LoggerMessage(EventId = ParleyEventIds.TlsCertificateRefused, Level = LogLevel.Warning,
        Message = "The TLS files changed but do not load ({Reason}); the certificate in use stays until they do")]
    private partial void LogRefused(string reason);
}
