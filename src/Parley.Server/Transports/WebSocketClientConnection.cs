using System.Net.WebSockets;
using Parley.Server.Core;

namespace Parley.Server.Transports;

/// <summary>A client over WebSocket: each frame is one text message.</summary>
internal sealed class WebSocketClientConnection(WebSocket socket, string remoteAddress) : ClientConnection
{
    private readonly List<byte[]> _pending = [];

    public override string Transport => "ws";

    public override string RemoteAddress => remoteAddress;

    protected override ValueTask WriteAsync(byte[] frame)
    {
        _pending.Add(frame);
        return ValueTask.CompletedTask;
    }

    protected override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var frame in _pending)
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _pending.Clear();
        }
    }

    protected override async ValueTask CloseTransportAsync()
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var deadline = new CancellationTokenSource(FinalFrameTimeout);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token).ConfigureAwait(false);
        }
    }
}
