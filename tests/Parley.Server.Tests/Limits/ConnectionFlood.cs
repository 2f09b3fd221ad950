using System.Net;
using System.Net.Sockets;
using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Limits;

/// <summary>
/// An attacker opening connections from one address as fast as the server answers them, to both endpoints:
/// each one it is given it keeps open (with nothing said), so that the address soon holds its most as well as
/// opening too fast.
/// </summary>
internal sealed class ConnectionFlood
{
    private readonly Lock _lock = new();
    private readonly List<RawClient> _held = [];
    private long _refused;

    /// <summary>Connections the server took and the flood keeps.</summary>
    public int Admitted
    {
        get
        {
            lock (_lock)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>Connections the server refused: <c>too_many_connections</c> over TCP, HTTP 429 over WebSocket.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Floods from <paramref name="from"/> until <paramref name="stop"/>, then closes what it holds.</summary>
    public async Task RunAsync(TestServer server, IPAddress from, CancellationToken stop)
    {
        try
        {
            await Task.WhenAll(
                Task.Run(() => FloodTcpAsync(server, from, stop)),
                Task.Run(() => FloodTcpAsync(server, from, stop)),
                Task.Run(() => FloodWebSocketAsync(server, from, stop)));
        }
        finally
        {
            foreach (var client in _held)
            {
                await client.DisposeAsync();
            }
        }
    }

    private async Task FloodTcpAsync(TestServer server, IPAddress from, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var client = await RawClient.ConnectTcpFromAsync(server.Tcp, from);
            try
            {
                // a ping tells the two apart: a connection taken answers not_authenticated
                await client.SendAsync(new PingFrame { Id = "f" });
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                // refused and closed before the ping went out
            }
            var (frames, _) = await client.ReadUntilAsync(_ => true);
            if (frames is [var answer] && answer.Str("code") == "not_authenticated")
            {
                Hold(client);
                continue;
            }
            Assert.True(frames is [] || frames[0].Str("code") == "too_many_connections", $"The flood was answered {frames[0].GetRawText()}");
            Interlocked.Increment(ref _refused);
            await client.DisposeAsync();
        }
    }

    private async Task FloodWebSocketAsync(TestServer server, IPAddress from, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                Hold(await RawClient.ConnectWebSocketFromAsync(server.WebSocketUri, from));
            }
            catch (HandshakeRefusedException e) when (e.Status == HttpStatusCode.TooManyRequests)
            {
                Interlocked.Increment(ref _refused);
            }
        }
    }

    private void Hold(RawClient client)
    {
        lock (_lock)
        {
            _held.Add(client);
        }
    }
}
