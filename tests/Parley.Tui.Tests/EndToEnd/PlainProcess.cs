using System.Diagnostics;
using System.Threading.Channels;
using Parley.Testing;

namespace Parley.Tui.Tests.EndToEnd;

/// <summary><c>parley</c> as a real child process with its standard streams redirected (so it runs in plain mode).</summary>
internal sealed class PlainProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _output = Channel.CreateUnbounded<string>();
    private readonly Channel<string> _errors = Channel.CreateUnbounded<string>();
    private readonly List<string> _allOutput = [];
    private readonly List<string> _allErrors = [];

    private PlainProcess(Process process) => _process = process;

    /// <summary>Everything written to standard output so far.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_allOutput)
            {
                return [.. _allOutput];
            }
        }
    }

    /// <summary>Everything written to standard error so far.</summary>
    public string Errors
    {
        get
        {
            lock (_allErrors)
            {
                return string.Join('\n', _allErrors);
            }
        }
    }

    /// <summary>Starts <c>parley</c> with the arguments.</summary>
    public static PlainProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(ParleyBinary.Path);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        var process = new Process { StartInfo = info };
        var plain = new PlainProcess(process);
        process.OutputDataReceived += (_, e) => plain.Collect(e.Data, plain._output, plain._allOutput);
        process.ErrorDataReceived += (_, e) => plain.Collect(e.Data, plain._errors, plain._allErrors);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return plain;
    }

    /// <summary>Starts <c>parley</c> as <paramref name="user"/> and waits until it says it is connected.</summary>
    public static async Task<PlainProcess> StartConnectedAsync(string server, string user)
    {
        var plain = Start("--server", server, "--user", user);
        await plain.ErrorLineAsync(line => line.StartsWith("* connected", StringComparison.Ordinal));
        return plain;
    }

    /// <summary>Writes lines to its standard input.</summary>
    public async Task WriteLinesAsync(params string[] lines)
    {
        foreach (var line in lines)
        {
            await _process.StandardInput.WriteLineAsync(line);
        }
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Ends its standard input.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Waits for a line on standard output that matches.</summary>
    public Task<string> OutputLineAsync(Func<string, bool> match) => WaitForAsync(_output, match, "standard output");

    /// <summary>Waits for a line on standard error that matches.</summary>
    public Task<string> ErrorLineAsync(Func<string, bool> match) => WaitForAsync(_errors, match, "standard error");

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> ExitCodeAsync()
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(Waits.Long);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"parley did not exit. Output:\n{string.Join('\n', Output)}\nErrors:\n{Errors}");
        }
        return _process.ExitCode;
    }

    private void Collect(string? line, Channel<string> channel, List<string> all)
    {
        if (line is null)
        {
            channel.Writer.TryComplete();
            return;
        }
        lock (all)
        {
            all.Add(line);
        }
        channel.Writer.TryWrite(line);
    }

    private async Task<string> WaitForAsync(Channel<string> channel, Func<string, bool> match, string stream)
    {
        using var deadline = new CancellationTokenSource(Waits.Long);
        try
        {
            while (true)
            {
                var line = await channel.Reader.ReadAsync(deadline.Token);
                if (match(line))
                {
                    return line;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new Xunit.Sdk.XunitException(
                $"The awaited line never came on {stream}. Output:\n{string.Join('\n', Output)}\nErrors:\n{Errors}");
        }
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
}
