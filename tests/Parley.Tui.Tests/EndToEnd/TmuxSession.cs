using System.Diagnostics;
using Parley.Testing;

namespace Parley.Tui.Tests.EndToEnd;

/// <summary>
/// <c>parley</c> in its window, in a real pseudo-terminal: a detached tmux session on a tmux server of its own.
/// Tests type with <see cref="TypeAsync"/> and <see cref="PressAsync"/>, and read the screen back with
/// <see cref="ScreenAsync"/>.
/// </summary>
internal sealed class TmuxSession : IAsyncDisposable
{
    /// <summary>What the shell prints once parley has exited, followed by its exit code.</summary>
    public const string ExitMarker = "parley exited with";

    private readonly string _socket = "parley-test-" + Guid.NewGuid().ToString("N")[..12];

    private TmuxSession()
    {
    }

    /// <summary>Starts <c>parley</c> with the arguments in a 120×32 terminal.</summary>
    public static async Task<TmuxSession> StartAsync(params string[] args)
    {
        var session = new TmuxSession();
        var command = $"dotnet {Quote(ParleyBinary.Path)} {string.Join(' ', args.Select(Quote))}; echo \"{ExitMarker} $?\"; sleep 600";
        await session.TmuxAsync("new-session", "-d", "-x", "120", "-y", "32", "-s", "parley", command);
        return session;
    }

    /// <summary>The screen as text, one line per row.</summary>
    public Task<string> ScreenAsync() => TmuxAsync("capture-pane", "-p", "-t", "parley");

    /// <summary>Types text literally.</summary>
    public Task TypeAsync(string text) => TmuxAsync("send-keys", "-t", "parley", "-l", text);

    /// <summary>Presses keys by tmux's names (<c>Enter</c>, <c>Tab</c>, <c>C-q</c>).</summary>
    public Task PressAsync(params string[] keys) => TmuxAsync(["send-keys", "-t", "parley", .. keys]);

    /// <summary>
    /// Waits until the screen shows what <paramref name="shows"/> looks for, reading it again every 100 ms up to
    /// a deadline; returns that screen. Fails with the last screen when the deadline passes.
    /// </summary>
    public async Task<string> WaitForScreenAsync(Func<string, bool> shows, string what)
    {
        var deadline = Stopwatch.StartNew();
        var screen = "";
        while (deadline.Elapsed < Waits.Long)
        {
            screen = await ScreenAsync();
            if (shows(screen))
            {
                return screen;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100)); // the poll interval of the screen, not a wait for an outcome
        }
        throw new Xunit.Sdk.XunitException($"The screen never showed {what}. Last screen:\n{screen}");
    }

    /// <summary>Waits until the screen contains <paramref name="text"/>.</summary>
    public Task<string> WaitForTextAsync(string text) =>
        WaitForScreenAsync(screen => screen.Contains(text, StringComparison.Ordinal), $"\"{text}\"");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await TmuxAsync("kill-server");
        }
        catch (InvalidOperationException)
        {
            // the server was gone already
        }
    }

    private async Task<string> TmuxAsync(params string[] args)
    {
        var info = new ProcessStartInfo("tmux")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-L");
        info.ArgumentList.Add(_socket);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["TERM"] = "xterm-256color";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("tmux did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Waits.Frame);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tmux {string.Join(' ', args)} failed: {await errors}");
        }
        return await output;
    }

    private static string Quote(string arg) => "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
