using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Parley.Protocol;

namespace Parley.Client;

/// <summary>
/// How a <see cref="ParleyClient"/> connects and behaves. Immutable: derive variants with <c>with</c>.
/// The defaults follow protocol v1 (ping every 30 s, 64 KiB frames).
/// </summary>
public sealed record ParleyClientOptions
{
    /// <summary>The TCP port a Parley server listens on by default.</summary>
    public const int DefaultTcpPort = 12345;

    /// <summary>
    /// The server: <c>tcp://host:port</c> (one JSON frame per line over TCP), <c>tls://host:port</c> (the
    /// same lines inside TLS), or <c>ws://host:port/ws</c> (<c>wss://</c> with TLS; one JSON text message
    /// per frame). <see cref="ParseServerAddress"/> turns <c>host:port</c> into the first form.
    /// </summary>
    public required Uri Server { get; init; }

    /// <summary>
    /// A certificate to trust for <c>tls://</c> and <c>wss://</c> beside the platform's roots: the server's own
    /// (a self-signed one) or the authority that issued it. The server's name must still match the address.
    /// Without it, only what the platform trusts is accepted.
    /// </summary>
    public X509Certificate2? TrustedCertificate { get; init; }

    /// <summary>The username to claim in <c>hello</c>.</summary>
    public required string User { get; init; }

    /// <summary>The account's password, for a registered name. Never printed by <see cref="ToString"/>.</summary>
    public string? Password { get; init; }

    /// <summary>
    /// An identity token from an earlier session (<see cref="ParleyClient.Token"/>): the client signs in with it
    /// instead of the password, as the same person. Never printed by <see cref="ToString"/>.
    /// </summary>
    public string? Token { get; init; }

    /// <summary>The client's name and version sent in <c>hello</c>, for the server's logs.</summary>
    public string ClientName { get; init; } = DefaultClientName;

    /// <summary>
    /// Whether to reconnect (with backoff) and resume after a connection that was welcomed is lost.
    /// The first <see cref="ParleyClient.ConnectAsync"/> never retries.
    /// </summary>
    public bool AutoReconnect { get; init; } = true;

    /// <summary>The floor of the reconnect backoff, and the scale of its first step.</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The ceiling of the reconnect backoff.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often to send <c>ping</c> while connected (the protocol asks for 30 s). A connection from which
    /// nothing has come for two intervals is taken as lost.
    /// </summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long to wait for a reply to a request other than <c>send</c>, for the <c>welcome</c>, and for the
    /// transport to connect. Sends wait for their <c>ack</c> across reconnects instead; bound them with a token.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest frame accepted from the server, in bytes of JSON.</summary>
    public int MaxFrameBytes { get; init; } = ProtocolLimits.DefaultMaxFrameBytes;

    /// <summary>
    /// How many frames <see cref="ParleyClient.ReadFramesAsync"/> buffers for a reader that has not taken
    /// them yet. Past that the oldest are dropped and counted in <see cref="ParleyClient.DroppedFrameCount"/>,
    /// so that a program that only uses <see cref="ParleyClient.FrameReceived"/> does not grow without bound.
    /// </summary>
    public int ReceiveBufferCapacity { get; init; } = 10_000;

    /// <summary><c>parley-client/</c> and this library's version.</summary>
    public static string DefaultClientName { get; } =
        "parley-client/" + (typeof(ParleyClientOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    /// <summary>
    /// Reads a server address: <c>host:port</c>, <c>host</c> (port <see cref="DefaultTcpPort"/>) and
    /// <c>[ipv6]:port</c> become <c>tcp://</c> addresses; a full <c>tcp://</c>, <c>tls://</c>, <c>ws://</c> or
    /// <c>wss://</c> URI is taken as it is.
    /// </summary>
    /// <exception cref="FormatException">The text is not a server address.</exception>
    public static Uri ParseServerAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        address = address.Trim();
        if (address.Contains("://", StringComparison.Ordinal))
        {
            if (Uri.TryCreate(address, UriKind.Absolute, out var full) && IsSupportedScheme(full.Scheme) && full.Host.Length > 0)
            {
                return full;
            }
            throw new FormatException($"\"{address}\" is not a tcp://, tls://, ws:// or wss:// address.");
        }
        if (Uri.TryCreate("tcp://" + address, UriKind.Absolute, out var tcp) && tcp.Host.Length > 0
            && tcp.AbsolutePath == "/" && tcp.Query.Length == 0 && tcp.Fragment.Length == 0 && tcp.UserInfo.Length == 0)
        {
            return new UriBuilder("tcp", tcp.Host, tcp.IsDefaultPort ? DefaultTcpPort : tcp.Port).Uri;
        }
        throw new FormatException($"\"{address}\" is not a host:port address.");
    }

    internal static bool IsSupportedScheme(string scheme) => scheme is "tcp" or "tls" or "ws" or "wss";

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Server = {Server}, TrustedCertificate = {TrustedCertificate?.Subject ?? "null"}, User = {User}, Password = {(Password is null ? "null" : "***")}, Token = {(Token is null ? "null" : "***")}, ");
        builder.Append(CultureInfo.InvariantCulture, $"ClientName = {ClientName}, AutoReconnect = {AutoReconnect}, ");
        builder.Append(CultureInfo.InvariantCulture, $"ReconnectMinDelay = {ReconnectMinDelay}, ReconnectMaxDelay = {ReconnectMaxDelay}, ");
        builder.Append(CultureInfo.InvariantCulture, $"PingInterval = {PingInterval}, RequestTimeout = {RequestTimeout}, ");
        builder.Append(CultureInfo.InvariantCulture, $"MaxFrameBytes = {MaxFrameBytes}, ReceiveBufferCapacity = {ReceiveBufferCapacity}");
        return true;
    }
}
