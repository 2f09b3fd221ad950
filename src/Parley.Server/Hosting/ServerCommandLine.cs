namespace Parley.Server.Hosting;

/// <summary>
/// What the server takes on its command line: the switches below, any setting as
/// <c>--Parley:NAME=VALUE</c> (the keys are checked with the options, from every source), logging as
/// <c>--Logging:…</c>, and <c>--help</c>. Anything else is refused: a misspelt option that is
/// ignored leaves the server running on the default the operator meant to change.
/// </summary>
internal static class ServerCommandLine
{
    /// <summary>The switches, each a short name for one key of <see cref="ServerOptions"/>.</summary>
    public static IReadOnlyList<CommandLineSwitch> Switches { get; } =
    [
        new("--tcp", "Parley:Tcp", "HOST:PORT", "the TCP endpoint; port 0 picks a free one"),
        new("--http", "Parley:Http", "HOST:PORT", "HTTP: the browser client at /, /ws, /healthz, /metrics"),
        new("--tls-cert", "Parley:TlsCert", "FILE", "the certificate (PEM, chain included): TCP speaks TLS, HTTP is HTTPS", "none: plain TCP and HTTP"),
        new("--tls-key", "Parley:TlsKey", "FILE", "the certificate's private key (PEM), with --tls-cert", "none"),
        new("--db", "Parley:Db", "PATH", "the SQLite file, or PostgreSQL: \"Host=…;Database=…\" or postgres://…"),
        new("--data", "Parley:DataDirectory", "DIR", "where a relative --db lives (created if missing)", "the working directory"),
        new("--redis", "Parley:Redis", "HOST:PORT", "join a cluster of nodes sharing one PostgreSQL --db", "none: a single server"),
        new("--node", "Parley:Node", "NAME", "this node's name in logs and metrics", "the machine name"),
    ];

    /// <summary>The switches as the command-line configuration source maps them.</summary>
    public static IDictionary<string, string> SwitchMappings { get; } =
        Switches.ToDictionary(s => s.Name, s => s.Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>The arguments that ask for the usage instead of a server.</summary>
    public static IReadOnlyList<string> HelpSwitches { get; } = ["-h", "--help"];

    // prefixes of configuration keys given as --KEY=VALUE: the server's settings, and ASP.NET Core's logging
    private static readonly string[] KeyPrefixes = [ServerOptions.Section + ":", "Logging:"];

    /// <summary>True when <paramref name="args"/> ask for the usage (<c>--help</c> or <c>-h</c>, not as the value of an option).</summary>
    public static bool AsksForHelp(IReadOnlyList<string> args) => Read(args).Help;

    /// <summary>The first argument the server does not take, said in a line; null when it takes them all.</summary>
    public static string? FindProblem(IReadOnlyList<string> args) => Read(args).Problem;

    private static (bool Help, string? Problem) Read(IReadOnlyList<string> args)
    {
        var help = false;
        string? problem = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (HelpSwitches.Contains(arg, StringComparer.Ordinal))
            {
                help = true;
                continue;
            }
            if (!arg.StartsWith('-'))
            {
                problem ??= $"unexpected argument '{arg}' (see --help)";
                continue;
            }
            var name = arg.Split('=', 2)[0];
            if (!IsKnown(name))
            {
                problem ??= $"unknown option {name} (see --help)";
                continue;
            }
            if (name.Length == arg.Length)
            {
                // --name VALUE: the next argument is the value, even if it reads --help
                if (i + 1 == args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    problem ??= $"option {name} needs a value (see --help)";
                    continue;
                }
                i++;
            }
        }
        return (help, problem);
    }

    // as the configuration source reads them: case does not matter
    private static bool IsKnown(string name) =>
        SwitchMappings.ContainsKey(name)
        || (name.StartsWith("--", StringComparison.Ordinal)
            && KeyPrefixes.Any(prefix => name.Length > prefix.Length + 2 && name[2..].StartsWith(prefix, StringComparison.OrdinalIgnoreCase)));
}
