using System.Text;

namespace Parley.Server.Hosting;

/// <summary>What <c>--help</c> prints: the switches and every setting with its default, from the tables the server reads.</summary>
internal static class ServerUsage
{
    private const string Empty = "(empty)";

    /// <summary>The usage text, ending with a newline.</summary>
    public static string Text { get; } = Build();

    private static string Build()
    {
        var defaults = ServerSettings.All.ToDictionary(s => s.Key, s => s.Default, StringComparer.OrdinalIgnoreCase);
        var text = new StringBuilder();
        text.AppendLine("Parley, a self-hosted chat server.");
        text.AppendLine();
        text.AppendLine("Usage: dotnet Parley.Server.dll [OPTION...]");
        text.AppendLine("       dotnet run --project src/Parley.Server -- [OPTION...]");
        text.AppendLine();
        text.AppendLine("Options, as --name VALUE or --name=VALUE:");
        var switches = ServerCommandLine.Switches.Select(s => (Usage: $"{s.Name} {s.Value}", s.Meaning,
            Default: defaults.GetValueOrDefault(s.Key) ?? s.DefaultMeaning ?? "none")).ToList();
        var width = switches.Max(s => s.Usage.Length) + 2;
        foreach (var (usage, meaning, @default) in switches)
        {
            text.AppendLine($"  {usage.PadRight(width)}{meaning}");
            text.AppendLine($"  {"".PadRight(width)}(default: {@default})");
        }
        text.AppendLine($"  {string.Join(", ", ServerCommandLine.HelpSwitches).PadRight(width)}print this and exit");
        text.AppendLine();
        text.AppendLine("Every setting and its default. Set one as --Parley:NAME=VALUE, in the environment as");
        text.AppendLine("Parley__NAME=VALUE, or in appsettings.json under \"Parley\"; the command line wins:");
        var aliases = ServerCommandLine.Switches.ToDictionary(s => s.Key, s => s.Name, StringComparer.OrdinalIgnoreCase);
        var keyWidth = ServerSettings.All.Max(s => s.Key.Length) + 2;
        var defaultWidth = ServerSettings.All.Max(s => (s.Default ?? Empty).Length) + 2;
        foreach (var (key, @default) in ServerSettings.All)
        {
            var alias = aliases.TryGetValue(key, out var name) ? $"({name})" : "";
            text.AppendLine($"  {key.PadRight(keyWidth)}{(@default ?? Empty).PadRight(defaultWidth)}{alias}".TrimEnd());
        }
        text.AppendLine("What each means, and why its default: src/Parley.Server/Hosting/ServerOptions.cs.");
        text.AppendLine();
        text.AppendLine("Logging as ASP.NET Core reads it: --Logging:LogLevel:Default=Warning and the like.");
        text.AppendLine("Any other argument, and any Parley:NAME not listed above, is refused.");
        text.AppendLine();
        text.AppendLine("Exit codes: 0 stopped by Ctrl+C or SIGTERM (or after --help); 1 a port in use, a");
        text.AppendLine("database that cannot be opened or a TLS certificate that cannot be loaded; 2 an");
        text.AppendLine("unknown option or setting, or a wrong value.");
        return text.ToString();
    }
}
