using System.Net.Sockets;

namespace Parley.Testing;

/// <summary>
/// A real <c>redis-server</c> of its own on a free loopback port, without persistence, in a
/// temporary directory. It can be stopped and started again on the same port (an outage).
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "parley-redis-" + Guid.NewGuid().ToString("N"));
    private bool running;

    /// <summary>The port it listens on (127.0.0.1 only).</summary>
    public int Port { get; private set; }

    /// <summary>What <c>--redis</c> takes.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    private string PidFile => Path.Combine(directory, "redis.pid");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        Port = ServerProcess.FreePort();
        await StartAsync();
    }

    /// <summary>Starts it (again, on the same port) and waits until it answers.</summary>
    public async Task StartAsync()
    {
        await ExternalCommand.RunAsync("redis-server", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "yes",
            "--pidfile", PidFile, "--logfile", Path.Combine(directory, "redis.log"), "--dir", directory);
        running = true;
        await WaitUntilAsync(answering: true);
    }

    /// <summary>Stops it at once (its data is gone: it keeps none) and waits until the port is closed.</summary>
    public async Task StopAsync()
    {
        await ExternalCommand.RunAsync("redis-cli", "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "shutdown", "nosave");
        running = false;
        await WaitUntilAsync(answering: false);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (running)
        {
            await StopAsync();
        }
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private async Task WaitUntilAsync(bool answering)
    {
        using var timeout = new CancellationTokenSource(Waits.Long);
        while (true)
        {
            timeout.Token.ThrowIfCancellationRequested();
            using var client = new TcpClient();
            var connected = false;
            try
            {
                await client.ConnectAsync("127.0.0.1", Port, timeout.Token);
                connected = true;
            }
            catch (SocketException)
            {
                // not (or no longer) listening
            }
            if (connected == answering)
            {
                return;
            }
            // polling a port has no event to await: a short pause between tries
            await Task.Delay(50, timeout.Token);
        }
    }
}
