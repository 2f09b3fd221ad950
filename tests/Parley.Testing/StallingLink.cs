using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Parley.Testing;

/// <summary>
/// A TCP relay on loopback between clients and a server, standing for a network link that can stall:
/// while it is held, what a client writes is kept, and on release it goes on to the server all at
/// once, the burst a congested link delivers. What the server writes back always passes, and is kept
/// for the test to read.
/// </summary>
public sealed class StallingLink : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _upstream = new(1, 1);
    private readonly List<Relayed> _connections = [];
    private readonly List<Relayed> _cut = [];
    private readonly MemoryStream _fromServer = new();
    private readonly Task _acceptLoop;
    private bool _holding;

    private StallingLink(IPEndPoint server)
    {
        _server = server;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    /// <summary>Where clients connect instead of the server.</summary>
    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Everything the server wrote to its clients so far, as text.</summary>
    public string FromServer
    {
        get
        {
            lock (_fromServer)
            {
                return Encoding.UTF8.GetString(_fromServer.GetBuffer(), 0, (int)_fromServer.Length);
            }
        }
    }

    /// <summary>Starts a link to <paramref name="server"/>, passing bytes both ways.</summary>
    public static StallingLink Start(IPEndPoint server) => new(server);

    /// <summary>From now on, what a client writes is kept instead of reaching the server.</summary>
    public async Task HoldAsync()
    {
        await _upstream.WaitAsync(_stop.Token);
        _holding = true;
        _upstream.Release();
    }

    /// <summary>Sends on what was kept, in one write, and lets what follows pass again.</summary>
    public async Task ReleaseAsync()
    {
        await _upstream.WaitAsync(_stop.Token);
        try
        {
            _holding = false;
            foreach (var connection in _connections)
            {
                await connection.FlushHeldAsync(_stop.Token);
            }
        }
        finally
        {
            _upstream.Release();
        }
    }

    /// <summary>
    /// Cuts every connection through the link so far, both ways, as a dropped network link would: each
    /// end sees its peer go. New connections pass again.
    /// </summary>
    public async Task CutAsync()
    {
        await _upstream.WaitAsync(_stop.Token);
        try
        {
            foreach (var connection in _connections)
            {
                connection.Client.Client.LingerState = new LingerOption(true, 0);
                connection.Client.Dispose();
                connection.Server.Dispose();
            }
            _cut.AddRange(_connections);
            _connections.Clear();
        }
        finally
        {
            _upstream.Release();
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                client.NoDelay = true;
                var connection = new Relayed(client, new TcpClient { NoDelay = true });
                // listed before anything can fail, so that disposing the link closes both sockets
                await _upstream.WaitAsync();
                _connections.Add(connection);
                _upstream.Release();
                await connection.Server.ConnectAsync(_server, _stop.Token);
                connection.Pumps = Task.WhenAll(ToServerAsync(connection), ToClientAsync(connection));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // the link is disposed
        }
    }

    private async Task ToServerAsync(Relayed connection)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (await connection.Client.GetStream().ReadAsync(buffer, _stop.Token) is var read and > 0)
            {
                await _upstream.WaitAsync(_stop.Token);
                try
                {
                    if (_holding)
                    {
                        connection.Held.Write(buffer, 0, read);
                    }
                    else
                    {
                        await connection.Server.GetStream().WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                    }
                }
                finally
                {
                    _upstream.Release();
                }
            }
            // the client's end of stream follows what is held, not overtakes it
            await _upstream.WaitAsync(_stop.Token);
            try
            {
                if (_holding)
                {
                    connection.EndHeld = true;
                }
                else
                {
                    // a TcpClient disposed by DisposeAsync meanwhile has no socket any more
                    connection.Server.Client?.Shutdown(SocketShutdown.Send);
                }
            }
            finally
            {
                _upstream.Release();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // one side left or the link is disposed
        }
    }

    private async Task ToClientAsync(Relayed connection)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (await connection.Server.GetStream().ReadAsync(buffer, _stop.Token) is var read and > 0)
            {
                lock (_fromServer)
                {
                    _fromServer.Write(buffer, 0, read);
                }
                await connection.Client.GetStream().WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
            connection.Client.Client?.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // one side left or the link is disposed
        }
    }

    /// <summary>Stops relaying and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        foreach (var connection in _connections.Concat(_cut))
        {
            connection.Client.Dispose();
            connection.Server.Dispose();
            await connection.Pumps;
            connection.Held.Dispose();
        }
        _stop.Dispose();
        _upstream.Dispose();
        _fromServer.Dispose();
    }

    /// <summary>One client's connection and the link's own connection to the server for it.</summary>
    private sealed class Relayed(TcpClient client, TcpClient server)
    {
        public TcpClient Client { get; } = client;

        public TcpClient Server { get; } = server;

        /// <summary>What the client wrote while the link was held.</summary>
        public MemoryStream Held { get; } = new();

        /// <summary>The client ended its stream while the link was held: the server sees the end after what is held.</summary>
        public bool EndHeld { get; set; }

        public Task Pumps { get; set; } = Task.CompletedTask;

        public async Task FlushHeldAsync(CancellationToken cancellationToken)
        {
            if (Held.Length > 0)
            {
                await Server.GetStream().WriteAsync(Held.GetBuffer().AsMemory(0, (int)Held.Length), cancellationToken);
                Held.SetLength(0);
            }
            if (EndHeld)
            {
                EndHeld = false;
                Server.Client.Shutdown(SocketShutdown.Send);
            }
        }
    }
}
