using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Parley.Client;

namespace Parley.Tui;

/// <summary>The options of <c>parley</c>, read from its arguments.</summary>
internal sealed record ClientCommandLine
{
    /// <summary>What <c>parley --help</c> prints.</summary>
    public const string Usage = """
        Usage: parley [--server HOST:PORT] [--trust-cert FILE] [--user NAME] [--password-stdin] [--plain] [--ack-timeout SECS]

          --server HOST:PORT  the Parley server (default 127.0.0.1:12345); tls://HOST:PORT for TCP inside TLS,
                              ws://HOST:PORT/ws for WebSocket, wss://HOST:PORT/ws for WebSocket with TLS
          --trust-cert FILE   trust this certificate (PEM) for tls:// and wss://: a self-signed server's own,
                              or the authority that issued it
          --user NAME         the username (the window asks when it is not given; plain mode needs it)
          --password-stdin    read the password of a registered name from the first line of standard input
          --plain             line mode for scripts and pipes (automatic when input or output is not a terminal)
          --ack-timeout SECS  plain mode: how long to wait for the acks after the end of input (default 60)
        """;

    /// <summary>The server as typed (<c>127.0.0.1:12345</c>).</summary>
    public string ServerText { get; init; } = "127.0.0.1:12345";

    /// <summary>The server's address.</summary>
    public Uri Server { get; init; } = ParleyClientOptions.ParseServerAddress("127.0.0.1:12345");

    /// <summary>The certificate <c>--trust-cert</c> named, to trust beside the system's roots.</summary>
    public X509Certificate2? TrustedCertificate { get; init; }

    /// <summary>The username, if given.</summary>
    public string? User { get; init; }

    /// <summary>Whether the password comes from the first line of standard input.</summary>
    public bool PasswordFromStdin { get; init; }

    /// <summary>Whether line mode was asked for.</summary>
    public bool Plain { get; init; }

    /// <summary>Plain mode: how long to wait for the outstanding acks after the end of input.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether the usage was asked for.</summary>
    public bool Help { get; init; }

    /// <summary>Reads the arguments.</summary>
    /// <exception cref="FormatException">An unknown option, a missing value, or a server that is no address; the message says which.</exception>
    public static ClientCommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new ClientCommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = Split(args[i]);
            switch (name)
            {
                case "--server":
                    var server = inlineValue ?? Next(args, ref i, name);
                    options = options with { ServerText = server, Server = ParleyClientOptions.ParseServerAddress(server) };
                    break;
                case "--trust-cert":
                    options = options with { TrustedCertificate = LoadCertificate(inlineValue ?? Next(args, ref i, name)) };
                    break;
                case "--user":
                    options = options with { User = inlineValue ?? Next(args, ref i, name) };
                    break;
                case "--password-stdin":
                    options = options with { PasswordFromStdin = true };
                    break;
                case "--ack-timeout":
                    var seconds = inlineValue ?? Next(args, ref i, name);
                    if (!double.TryParse(seconds, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
                        || value <= 0 || value > TimeSpan.MaxValue.TotalSeconds)
                    {
                        throw new FormatException($"--ack-timeout takes a positive number of seconds, not \"{seconds}\".");
                    }
                    options = options with { AckTimeout = TimeSpan.FromSeconds(value) };
                    break;
                case "--plain":
                    options = options with { Plain = true };
                    break;
                case "--help" or "-h":
                    options = options with { Help = true };
                    break;
                default:
                    throw new FormatException($"Unknown option \"{args[i]}\".");
            }
        }
        return options;
    }

    // PEM (what a server's --tls-cert takes), or DER
    private static X509Certificate2 LoadCertificate(string path)
    {
        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPemFile(path);
            return certificates.Count > 0 ? certificates[0] : X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new FormatException($"--trust-cert: cannot load the certificate {path}: {e.Message}", e);
        }
    }

    private static (string Name, string? Value) Split(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }

    private static string Next(IReadOnlyList<string> args, ref int i, string name) =>
        ++i < args.Count ? args[i] : throw new FormatException($"The option {name} needs a value.");
}
