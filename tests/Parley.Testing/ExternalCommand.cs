using System.Diagnostics;

namespace Parley.Testing;

/// <summary>Runs a command line tool to completion (initdb, pg_ctl, chown) and fails with its output if it fails.</summary>
public static class ExternalCommand
{
    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/>; returns its standard output.</summary>
    public static async Task<string> RunAsync(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Waits.Long);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await error}");
        }
        return await output;
    }
}
