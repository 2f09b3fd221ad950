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
    : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    // a new connection that says nothing for this long goes to Kestrel, whose timeouts then apply
    private static readonly TimeSpan FirstBytesPatience = TimeSpan.FromSeconds(10);

    private readonly List<HttpPortListener> _listeners = [];

    /// <inheritdoc />
    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint;

    /// <inheritdoc />
    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var options = new WebSocketCreationOptions
        {
            IsServer = true,
            // as Kestrel's WebSocket middleware, which serves the rest
            KeepAliveInterval = webSockets.Value.KeepAliveInterval,
            KeepAliveTimeout = webSockets.Value.KeepAliveTimeout,
        };
        var listener = new HttpPortListener(services.GetRequiredService<ChatServer>(), options, FirstBytesPatience, loggerFactory);
        listener.Start((IPEndPoint)endpoint);
        lock (_listeners)
        {
            _listeners.Add(listener);
        }
        return ValueTask.FromResult<IConnectionListener>(listener);
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
}
