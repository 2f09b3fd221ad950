using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Parley.Testing;

/// <summary>
/// The built server run as a real child process, as an operator runs it:
/// <c>dotnet Parley.Server.dll --tcp … --http … --db FILE</c>. For crash tests (SIGKILL) and shutdown tests (SIGTERM).
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    private ServerProcess(Process process) => _process = process;

    /// <summary>The TCP endpoint, as the server reported it once listening.</summary>
    public IPEndPoint Tcp { get; private set; } = new(IPAddress.Loopback, 0);

    /// <summary>The HTTP endpoint, as the server reported it once listening.</summary>
    public IPEndPoint Http { get; private set; } = new(IPAddress.Loopback, 0);

    /// <summary>The files the process has mapped (its loaded assemblies among them), from <c>/proc</c>.</summary>
    public IReadOnlyList<string> MappedFiles() =>
        [.. File.ReadAllLines($"/proc/{_process.Id}/maps").Select(l => l.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 6).Select(f => Path.GetFileName(f[5].Trim())).Distinct()];

    /// <summary>What the process wrote so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>
    /// Starts the server on the given database (a SQLite file or a PostgreSQL connection string) and
    /// waits until it listens. <paramref name="extraArgs"/> go after the others (<c>--redis</c>, <c>--node</c>, …).
    /// Without a port the server binds one of its own choosing and says which: a port found free here
    /// could be taken by another test's connection before the server binds it. A restart passes the
    /// ports of the server it replaces.
    /// </summary>
    public static Task<ServerProcess> StartAsync(string databasePath, int? tcpPort = null, int? httpPort = null, params string[] extraArgs) =>
        StartInAsync(null, databasePath, tcpPort, httpPort, extraArgs);

    /// <summary>As <see cref="StartAsync"/>, with <paramref name="workingDirectory"/> as the process's working directory.</summary>
    public static async Task<ServerProcess> StartInAsync(string? workingDirectory, string databasePath, int? tcpPort = null, int? httpPort = null, params string[] extraArgs)
    {
        var tcp = new IPEndPoint(IPAddress.Loopback, tcpPort ?? 0);
        var http = new IPEndPoint(IPAddress.Loopback, httpPort ?? 0);
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var arg in new[] { ServerAssemblyPath(), "--tcp", tcp.ToString(), "--http", http.ToString(), "--db", databasePath }.Concat(extraArgs))
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DOTNET_NOLOGO"] = "1";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.Exited += (_, _) => _ = server.FailUnlessListeningAsync();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server._listening.Task.WaitAsync(Waits.Long);
        return server;
    }

    /// <summary>Runs the server with <paramref name="args"/> until it exits by itself; returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> RunToExitAsync(params string[] args) => RunToExitAsync(args, environment: null);

    /// <summary>
    /// As <see cref="RunToExitAsync(string[])"/>, with extra <paramref name="environment"/> variables and
    /// <paramref name="workingDirectory"/> as the process's working directory (where it reads appsettings.json).
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string[] args, IReadOnlyDictionary<string, string>? environment, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        info.ArgumentList.Add(ServerAssemblyPath());
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Waits.Long);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Kills the process at once (SIGKILL): no flush, no goodbye.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(Waits.Long);
    }

    /// <summary>Asks the process to stop (SIGTERM) and returns its exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        _ = SendSignal(_process.Id, SigTerm);
        await _process.WaitForExitAsync().WaitAsync(Waits.Long);
        return _process.ExitCode;
    }

    /// <summary>A loopback port free at the moment of asking.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(Waits.Long);
        }
        _process.Dispose();
    }

    // the exit can be signalled before the last of the output is read: the output says why it exited
    private async Task FailUnlessListeningAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(Waits.Long);
        _listening.TrySetException(new Xunit.Sdk.XunitException("The server exited before listening:\n" + Output));
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Add(line);
        }
        if (Listening().Match(line) is { Success: true } listening)
        {
            Tcp = IPEndPoint.Parse(listening.Groups["tcp"].Value);
            Http = IPEndPoint.Parse(listening.Groups["http"].Value);
            _listening.TrySetResult();
        }
    }

    // "Parley is listening: TCP 127.0.0.1:40123, browser client http://127.0.0.1:40124, WebSocket …", or with a
    // certificate "TCP 127.0.0.1:40123 (TLS), browser client https://…"
    [GeneratedRegex(@"Parley is listening: TCP (?<tcp>[^,\s]+)(?: \(TLS\))?, browser client https?://(?<http>[^,\s/]+)")]
    private static partial Regex Listening();

    private static string ServerAssemblyPath()
    {
        // the server is built beside the tests, in the same configuration
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = directory.Parent?.Name ?? "Debug";
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Parley.slnx")))
        {
            directory = directory.Parent;
        }
        if (directory is null)
        {
            throw new InvalidOperationException("Run the tests from inside the repository.");
        }
        var path = Path.Combine(directory.FullName, "src", "Parley.Server", "bin", configuration, "net10.0", "Parley.Server.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the server first.", path);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
