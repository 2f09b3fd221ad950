using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Hosting;

/// <summary>The server as an operator starts it: what it refuses, in one line and with which exit code.</summary>
public sealed class StartUpTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("parley-start-");

    [Theory]
    [InlineData("--tcp=nonsense", "parley: --tcp and --http must be HOST:PORT (given: nonsense")]
    [InlineData("--Parley:FinalFrameTimeout=00:00:00", "parley: FinalFrameTimeout must be positive.")]
    [InlineData("--Parley:IdleTimeout=soon", "parley: Failed to convert configuration value 'soon' at 'Parley:IdleTimeout' to type 'System.TimeSpan'.")]
    public async Task ABadSettingIsRefusedInOneLine(string setting, string said)
    {
        // the setting comes last, over the valid defaults before it
        var (exitCode, output) = await ServerProcess.RunToExitAsync("--tcp", "127.0.0.1:0", "--http", "127.0.0.1:0",
            "--db", Path.Combine(_directory.FullName, "parley.db"), setting);
        Assert.Equal(2, exitCode);
        Assert.Contains(said, output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Transport.Tcp)]
    [InlineData(Transport.WebSocket)]
    public async Task ASecondServerOnTheSamePortExitsWithOneLineAndTheFirstKeepsServing(Transport transport)
    {
        await using var first = await ServerProcess.StartAsync(Path.Combine(_directory.FullName, "first.db"));
        var secondDatabase = Path.Combine(_directory.FullName, "second.db");
        var (tcp, http) = transport == Transport.Tcp ? (first.Tcp.ToString(), "127.0.0.1:0") : ("127.0.0.1:0", first.Http.ToString());

        var (exitCode, output) = await ServerProcess.RunToExitAsync("--tcp", tcp, "--http", http, "--db", secondDatabase);

        Assert.Equal(1, exitCode);
        Assert.Equal(transport == Transport.Tcp
            ? $"parley: TCP port {first.Tcp} is in use (another server is running?)"
            : $"parley: HTTP port {first.Http} is in use (another server is running?)", output.Trim());
        // it stopped before it opened a database
        Assert.False(File.Exists(secondDatabase));
        await using var client = transport == Transport.Tcp
            ? await RawClient.ConnectTcpAsync(first.Tcp)
            : await RawClient.ConnectWebSocketAsync(new Uri($"ws://{first.Http}/ws"));
        await client.SendAsync(new HelloFrame { User = "alice" });
        Assert.Equal("welcome", (await client.NextAsync()).Type());
    }

    [Fact]
    public async Task ARestartBindsItsPortsWhileTheLastRunsConnectionsLingerInTimeWait()
    {
        var database = Path.Combine(_directory.FullName, "parley.db");
        var first = await ServerProcess.StartAsync(database);
        var (tcp, http) = (first.Tcp, first.Http);
        await using (var chat = await RawClient.ConnectTcpAsync(tcp))
        using (var browser = new TcpClient())
        {
            await chat.SendAsync(new HelloFrame { User = "alice" });
            await chat.NextAsync();
            // a kept-alive HTTP connection, as a browser leaves one
            await browser.ConnectAsync(http).WaitAsync(Waits.Frame);
            var stream = browser.GetStream();
            await stream.WriteAsync("GET /healthz HTTP/1.1\r\nHost: parley\r\n\r\n"u8.ToArray()).AsTask().WaitAsync(Waits.Frame);
            Assert.True(await stream.ReadAsync(new byte[4096]).AsTask().WaitAsync(Waits.Frame) > 0);

            // the server closes both first, so its side of each is left in TIME_WAIT
            Assert.Equal(0, await first.TerminateAsync());
            await chat.ClosedAsync();
            await ReadToEndAsync(stream);
        }
        await first.DisposeAsync();
        Assert.True(InTimeWait(tcp), $"no connection of port {tcp.Port} is in TIME_WAIT: the test proves nothing");
        Assert.True(InTimeWait(http), $"no connection of port {http.Port} is in TIME_WAIT: the test proves nothing");

        await using var second = await ServerProcess.StartAsync(database, tcp.Port, http.Port);
        Assert.Equal((tcp, http), (second.Tcp, second.Http));
    }

    public void Dispose() => _directory.Delete(recursive: true);

    // returns at the server's end of stream, whatever came before it
    private static async Task ReadToEndAsync(NetworkStream stream)
    {
        var buffer = new byte[4096];
        int read;
        do
        {
            read = await stream.ReadAsync(buffer).AsTask().WaitAsync(Waits.Frame);
        }
        while (read > 0);
    }

    // /proc/net/tcp: "sl local_address rem_address st ...", addresses as hex IP:PORT, state 06 is TIME_WAIT
    private static bool InTimeWait(IPEndPoint local) =>
        File.ReadLines("/proc/net/tcp").Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Any(fields => int.Parse(fields[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == local.Port && fields[3] == "06");
}
