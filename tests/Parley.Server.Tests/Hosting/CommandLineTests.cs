using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Parley.Server.Hosting;
using Parley.Testing;

namespace Parley.Server.Tests.Hosting;

/// <summary>The server's command line as an operator types it: --help, and what it refuses.</summary>
public sealed class CommandLineTests : IDisposable
{
    // the process's working directory: where the default database would appear if a server started
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("parley-args-");

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task HelpPrintsEveryOptionAndSettingWithItsDefaultAndExitsZeroWithoutStarting(string help)
    {
        var (exitCode, output) = await RunAsync([help]);

        Assert.Equal(0, exitCode);
        Assert.Contains("--tcp HOST:PORT", output, StringComparison.Ordinal);
        Assert.Contains("(default: 127.0.0.1:12345)", output, StringComparison.Ordinal);
        Assert.Matches(@"Parley:IdleTimeout +00:02:00\n", output);
        Assert.All(ServerCommandLine.Switches, option => Assert.Contains($"{option.Name} {option.Value}", output, StringComparison.Ordinal));
        Assert.All(ServerSettings.All, setting => Assert.Matches($@"  {Regex.Escape(setting.Key)} +{Regex.Escape(setting.Default ?? "(empty)")}\s", output));
        Assert.Contains("Exit codes:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("listening", output, StringComparison.Ordinal);
        Assert.Empty(_directory.GetFiles());
    }

    [Theory]
    [InlineData(new[] { "--bogus", "1" }, "parley: unknown option --bogus (see --help)")]
    [InlineData(new[] { "--tsl-cert", "server.pem" }, "parley: unknown option --tsl-cert (see --help)")]
    [InlineData(new[] { "--environment", "Development" }, "parley: unknown option --environment (see --help)")]
    [InlineData(new[] { "-t", "127.0.0.1:0" }, "parley: unknown option -t (see --help)")]
    [InlineData(new[] { "stray" }, "parley: unexpected argument 'stray' (see --help)")]
    [InlineData(new[] { "--db" }, "parley: option --db needs a value (see --help)")]
    public async Task AnArgumentTheServerDoesNotTakeIsRefusedByNameWithExitCodeTwo(string[] arguments, string said)
    {
        var (exitCode, output) = await RunAsync(["--tcp", "127.0.0.1:0", "--http", "127.0.0.1:0", .. arguments]);

        Assert.Equal(2, exitCode);
        Assert.Equal(said, output.Trim());
        Assert.Empty(_directory.GetFiles());
    }

    [Theory]
    [InlineData("command line")]
    [InlineData("environment")]
    [InlineData("appsettings.json")]
    public async Task ASettingServerOptionsDoesNotHaveIsRefusedFromEverySource(string source)
    {
        string[] arguments = ["--tcp", "127.0.0.1:0", "--http", "127.0.0.1:0"];
        Dictionary<string, string> environment = [];
        switch (source)
        {
            case "command line":
                arguments = [.. arguments, "--Parley:IdleTimout=00:05:00"];
                break;
            case "environment":
                environment["Parley__IdleTimout"] = "00:05:00";
                break;
            default:
                await File.WriteAllTextAsync(Path.Combine(_directory.FullName, "appsettings.json"), """{ "Parley": { "IdleTimout": "00:05:00" } }""");
                break;
        }

        var (exitCode, output) = await RunAsync(arguments, environment);

        Assert.Equal(2, exitCode);
        Assert.Equal("parley: unknown setting Parley:IdleTimout (see --help)", output.Trim());
        Assert.Empty(_directory.GetFiles("*.db"));
    }

    [Fact]
    public async Task TheArgumentsTheBenchScriptsPassStartAServer()
    {
        // bench/compare.sh and bench/cluster.sh, with the listening line kept for the test to see
        await using var server = await ServerProcess.StartAsync(Path.Combine(_directory.FullName, "parley.db"), null, null,
            "--node", "n1", "--Parley:Cluster=bench", "--Parley:FlowControlDisabled=true", "--Parley:Limits:Disabled=true", "--Parley:AutoJoinLobby=false",
            "--Parley:IdleTimeout=01:00:00", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Parley.Server.Hosting=Information");
        Assert.NotEqual(0, server.Tcp.Port);
    }

    [Theory]
    [InlineData("--tcp", "127.0.0.1:1")]
    [InlineData("--tcp=127.0.0.1:1")]
    [InlineData("--TCP", "127.0.0.1:1")]
    [InlineData("--Parley:Tcp", "127.0.0.1:1")]
    [InlineData("--parley:tcp=127.0.0.1:1")]
    [InlineData("--Logging:LogLevel:Default=Warning")]
    [InlineData("--node", "-h")]
    public void TheServerTakesItsSwitchesItsSettingsAndLoggingInEitherForm(params string[] arguments)
    {
        Assert.Null(ServerCommandLine.FindProblem(arguments));
        // a value that reads like a switch is still the value
        Assert.False(ServerCommandLine.AsksForHelp(arguments));
    }

    [Fact]
    public void AKeyUnderASettingThatIsAValueIsUnknownAsIsAKeyServerOptionsDoesNotHave()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Parley:Tcp"] = "127.0.0.1:1",
            ["parley:idletimeout"] = "00:00:05",
            ["Parley:Http:Port"] = "80",
            ["Parley:Limits:Rooms"] = "5",
            ["Logging:LogLevel:Default"] = "Warning",
        }).Build();

        Assert.Equal(["Parley:Http:Port", "Parley:Limits:Rooms"], ServerSettings.Unknown(configuration.GetSection("Parley")));
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private Task<(int ExitCode, string Output)> RunAsync(string[] arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        ServerProcess.RunToExitAsync(arguments, environment, _directory.FullName);
}
