using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Parley.Server.Core;

namespace Parley.Server.Transports;

/// <summary>
/// Gives Kestrel the HTTP endpoint's connections through <see cref="HttpPortListener"/>, and lets the
/// host cut off, at a stop, the WebSocket clients that listener serves itself.
/// </summary>
/// <remarks>
/// The core is taken from <paramref name="services"/> only when binding: Kestrel is built with the
/// application, before the options are checked, and a wrong option must be reported as such.
/// </remarks>
internal sealed class HttpPortTransport(IServiceProvider services, IOptions<WebSocketOptions> webSockets, ILoggerFactory loggerFactory)
    : IConnectionListenerFactory, IConnectionListenerFactorySelector, IAsyncDisposable
{
    // a new connection that says nothing for this long goes to Kestrel, whose timeouts then apply
    private static readonly TimeSpan FirstBytesPatience = TimeSpan.FromSeconds(10);

    private readonly List<HttpPortListener> _listeners = [];
    private Reservation? _reserved;

    /// <summary>
    /// Binds <paramref name="endpoint"/> before Kestrel starts; Kestrel takes the listener over when it
    /// binds that endpoint. A port in use then stops the start before the store is opened, and is the
    /// host's to report, instead of a failure inside Kestrel's start that the generic host logs with its stack.
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">The address cannot be bound (for instance, it is taken).</exception>
    public void Reserve(IPEndPoint endpoint)
    {
        var listener = CreateListener();
        listener.Bind(endpoint);
        _reserved = new Reservation(endpoint, listener);
    }

    /// <inheritdoc />
    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint;

    /// <inheritdoc />
    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var listener = await TakeReservationAsync(endpoint).ConfigureAwait(false);
        if (listener is null)
        {
            listener = CreateListener();
            listener.Bind((IPEndPoint)endpoint);
        }
        listener.StartAccepting();
        lock (_listeners)
        {
            _listeners.Add(listener);
        }
        return listener;
    }

    /// <summary>
    /// Waits up to <paramref name="grace"/> for the WebSocket clients served outside Kestrel to leave,
    /// and cuts off the ones left (<see cref="HttpPortListener.CutOffWebSocketsAsync"/>).
    /// </summary>
    public Task CutOffWebSocketsAsync(TimeSpan grace)
    {
        lock (_listeners)
        {
            return Task.WhenAll(_listeners.Select(listener => listener.CutOffWebSocketsAsync(grace)));
        }
    }

    /// <summary>Frees a reserved endpoint Kestrel never took (the start failed before it bound).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _reserved, null) is { } reserved)
        {
            await reserved.Listener.DisposeAsync().ConfigureAwait(false);
        }
    }

    // the reserved listener when it is for this endpoint; one reserved for another is freed
    private async ValueTask<HttpPortListener?> TakeReservationAsync(EndPoint endpoint)
    {
        var reserved = Interlocked.Exchange(ref _reserved, null);
        if (reserved is null || reserved.Endpoint.Equals(endpoint))
        {
            return reserved?.Listener;
        }
        await reserved.Listener.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    private HttpPortListener CreateListener()
    {
        var options = new WebSocketCreationOptions
        {
            IsServer = true,
            // as Kestrel's WebSocket middleware, which serves the rest
            KeepAliveInterval = webSockets.Value.KeepAliveInterval,
            KeepAliveTimeout = webSockets.Value.KeepAliveTimeout,
        };
        return new HttpPortListener(services.GetRequiredService<ChatServer>(), options, FirstBytesPatience, loggerFactory);
    }

    private sealed record Reservation(IPEndPoint Endpoint, HttpPortListener Listener);
}
