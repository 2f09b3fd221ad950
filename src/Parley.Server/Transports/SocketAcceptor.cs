using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Parley.Server.Diagnostics;

namespace Parley.Server.Transports;

/// <summary>
/// Listens on one endpoint, accepts, and hands each socket to <c>serve</c>, which owns it from
/// then on: it closes the socket when done, or passes it on (to Kestrel). At a stop, the sockets
/// still being served once the grace is over are cut off.
/// </summary>
/// <remarks>
/// Parley's own instead of Kestrel's connection handling because an idle connection then holds a
/// socket and its session, not two pipes, a send loop and a receive loop as well: 6.0 KiB of live
/// heap per idle connection under Kestrel (docs/benchmarks-method.md). It serves every socket of the
/// raw TCP endpoint with <see cref="TcpConnectionHandler"/>; the HTTP endpoint is Kestrel's.
/// </remarks>
internal sealed partial class SocketAcceptor(Func<Socket, Task> serve, ILogger<SocketAcceptor> logger)
{

    // the sockets of running connections, to cut them off when the stop's grace runs out
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    // completed when the last connection served leaves, for whoever waits for that (a stop, a cut-off)
    private TaskCompletionSource? _noneServed;
    private Socket? _listener;
    private Task _accepting = Task.CompletedTask;
    private volatile bool _stopping;

    /// <summary>Where clients connect (the real port once started).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener?.LocalEndPoint ?? throw new InvalidOperationException("The endpoint has not started."));

    /// <summary>
    /// Binds <paramref name="endpoint"/> and listens: clients can connect, and wait in the backlog
    /// until <see cref="StartAccepting"/>.
    /// </summary>
    /// <exception cref="SocketException">The address cannot be bound (for instance, it is taken).</exception>
    public void Bind(IPEndPoint endpoint) => _listener = ListeningSockets.Listen(endpoint);

    /// <summary>Starts accepting on the endpoint <see cref="Bind"/> bound.</summary>
    public void StartAccepting() =>
        _accepting = AcceptLoopAsync(_listener ?? throw new InvalidOperationException("The endpoint has not been bound."));

    /// <summary>
    /// Stops accepting, then waits up to <paramref name="grace"/> for the connections to end (the core has
    /// told their clients already), cuts off the ones still open and waits for their loops to end.
    /// </summary>
    /// <remarks>Safe to call more than once.</remarks>
    public async Task StopAsync(TimeSpan grace)
    {
        await StopAcceptingAsync().ConfigureAwait(false);
        await CutOffAsync(grace).ConfigureAwait(false);
        // nothing new is accepted: the cut-off connections' loops end at once
        await WhenNoneServedAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Waits up to <paramref name="grace"/> for no connection to be served any more, then closes the
    /// sockets of those still served. Accepting goes on (see <see cref="StopAcceptingAsync"/>).
    /// </summary>
    public async Task CutOffAsync(TimeSpan grace)
    {
        try
        {
            await WhenNoneServedAsync().WaitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // a client that does not read its last frame does not hold up the stop
        }
        foreach (var socket in _open.Keys)
        {
            // a pending receive or send fails at once, and the connection's loops end
            socket.Dispose();
        }
    }

    /// <summary>Stops accepting; the connections being served go on.</summary>
    public async Task StopAcceptingAsync()
    {
        _stopping = true;
        _listener?.Dispose();
        await _accepting.ConfigureAwait(false);
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        var failures = new AcceptFailures();
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (_stopping && e is SocketException or ObjectDisposedException)
            {
                return;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                var decision = failures.OnFailure(e is SocketException socketError ? socketError.SocketErrorCode : SocketError.NotSocket);
                if (decision.Action == AcceptAction.Stop)
                {
                    LogListenerDead(LocalEndPointOf(listener), e);
                    return;
                }
                if (decision.Tell)
                {
                    // out of file descriptors or memory: the waiting clients stay in the backlog until some close
                    LogAcceptFailed(((SocketException)e).SocketErrorCode);
                }
                if (decision.Action == AcceptAction.Pause)
                {
                    await Task.Delay(decision.Pause).ConfigureAwait(false);
                }
                continue;
            }
            if (failures.OnSuccess())
            {
                LogAcceptingAgain();
            }
            try
            {
                socket.NoDelay = true;
            }
            catch (SocketException)
            {
                // reset between the accept and here: nothing to serve, and the loop must go on
                socket.Dispose();
                continue;
            }
            _open.TryAdd(socket, 0);
            // the connection's first steps (a hello already waiting) do not hold up the next accept
            ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Acceptor.RunAsync(state.Socket), (Acceptor: this, Socket: socket), preferLocal: false);
        }
    }

    private async Task RunAsync(Socket socket)
    {
        try
        {
            await serve(socket).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // one connection's failure must not reach anything else
            LogConnectionFailed(e);
            socket.Dispose();
        }
        finally
        {
            _open.TryRemove(socket, out _);
            // the last one to leave sees the set empty, whichever of them finishes last
            if (_open.IsEmpty)
            {
                Volatile.Read(ref _noneServed)?.TrySetResult();
            }
        }
    }

    // completes once no connection is served; a waiter after connections came again gets a fresh wait
    private Task WhenNoneServedAsync()
    {
        while (true)
        {
            var current = Volatile.Read(ref _noneServed);
            if (current is { Task.IsCompleted: false })
            {
                if (_open.IsEmpty)
                {
                    current.TrySetResult();
                }
                return current.Task;
            }
            if (_open.IsEmpty)
            {
                return Task.CompletedTask;
            }
            var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (Interlocked.CompareExchange(ref _noneServed, fresh, current) == current)
            {
                // the last connection may have left before the wait was in place
                if (_open.IsEmpty)
                {
                    fresh.TrySetResult();
                }
                return fresh.Task;
            }
        }
    }

    private static string LocalEndPointOf(Socket listener)
    {
        try
        {
            return listener.LocalEndPoint?.ToString() ?? "?";
        }
        catch (ObjectDisposedException)
        {
            return "?";
        }
    }

    [LoggerMessage(EventId = ParleyEventIds.AcceptFailed, Level = LogLevel.Warning, Message = "Accepting TCP connections fails ({Error}); waiting clients stay queued, and accepting is retried with a growing pause until it works again")]
    private partial void LogAcceptFailed(SocketError error);

    [LoggerMessage(EventId = ParleyEventIds.AcceptingAgain, Level = LogLevel.Information, Message = "Accepting TCP connections works again")]
    private partial void LogAcceptingAgain();

    [LoggerMessage(EventId = ParleyEventIds.ListenerDead, Level = LogLevel.Critical, Message = "The listener on {Endpoint} failed and accepts no more connections; restart the server")]
    private partial void LogListenerDead(string endpoint, Exception error);

    [LoggerMessage(EventId = ParleyEventIds.TransportError, Level = LogLevel.Error, Message = "A connection failed")]
    private partial void LogConnectionFailed(Exception exception);
}
