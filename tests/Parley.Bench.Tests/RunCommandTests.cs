using System.Globalization;
using Parley.Bench.Load;
using Parley.Testing;

namespace Parley.Bench.Tests;

/// <summary>The generator's command line: a run that cannot be made says why in one line.</summary>
public sealed class RunCommandTests
{
    [Fact]
    public async Task ARunThatCannotConnectSaysSoInOneLineAndWritesNoResult()
    {
        // nobody listens on a port that was free a moment ago
        var port = ServerProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        var result = Path.Combine(Path.GetTempPath(), $"parley-bench-{Guid.NewGuid():N}.json");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ExternalCommand.RunAsync(
            "dotnet", typeof(LoadRun).Assembly.Location, "run", "--server", "redis", "--port", port,
            "--workload", "storm", "--users", "10", "--duration", "1", "--out", result));

        Assert.Contains("exited with 1:", failure.Message, StringComparison.Ordinal);
        // the system's own words for the error vary with its language; its code does not
        Assert.Contains("[redis storm] no result: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("(ConnectionRefused)", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(result));
    }
}
