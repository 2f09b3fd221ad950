using System.Net.WebSockets;
using Parley.Server.Core;

namespace Parley.Server.Transports;

/// <summary>A client over WebSocket: each frame is one text message.</summary>
/// <param name="socket">The WebSocket.</param>
/// <param name="remoteAddress">The client's address, for logs.</param>
/// <param name="remoteIp">The client's IP address, for the limits.</param>
/// <param name="gathering">The stream under <paramref name="socket"/>: a batch of frames leaves in one write.</param>
internal sealed class WebSocketClientConnection(WebSocket socket, string remoteAddress, System.Net.IPAddress? remoteIp, GatheringStream? gathering)
    : ClientConnection(remoteIp)
{
    private readonly List<byte[]> _pending = [];

    public override string Transport => "ws";

    /// <summary>The status of the close frame: a message over the frame limit is 1009, as RFC 6455 gives it.</summary>
    public WebSocketCloseStatus CloseStatus { get; set; } = WebSocketCloseStatus.NormalClosure;

    public override string RemoteAddress => remoteAddress;

    protected override ValueTask WriteAsync(byte[] frame)
    {
        _pending.Add(frame);
        return ValueTask.CompletedTask;
    }

    // a cancelled wait (the queue overflowed, the connection is cut) leaves the send running: a send the
    // WebSocket itself cancels aborts it, and the final frame (slow_consumer) could not follow. The
    // WebSocket queues its sends, so the final frame and the close frame go out behind it
    protected override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            for (var i = 0; i < _pending.Count; i++)
            {
                // every frame but the last is kept, and the last takes them all along
                gathering?.Gathering = i < _pending.Count - 1;
                var sent = SendAsync(_pending[i]);
                if (!await sent.WaitAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new IOException("The client's WebSocket failed.");
                }
            }
        }
        finally
        {
            // after a failure, what was kept leaves with the next write (the close frame at the latest)
            gathering?.Gathering = false;
            _pending.Clear();
        }
    }

    // false when the WebSocket failed: a send nobody waits for any more must not leave an unobserved exception
    private async Task<bool> SendAsync(byte[] frame)
    {
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            return false;
        }
    }

    // after the last frame: the close frame, whose answer ends the read loop's pending receive; a
    // client that does not answer (or does not read) is aborted once the final frame's time is up
    protected override async ValueTask CloseTransportAsync()
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var deadline = new CancellationTokenSource(FinalFrameTimeout);
                await socket.CloseOutputAsync(CloseStatus, null, deadline.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            _ = AbortUnlessClosedAsync();
        }
    }

    private async Task AbortUnlessClosedAsync()
    {
        if (socket.State != WebSocketState.Closed)
        {
            await Task.Delay(FinalFrameTimeout).ConfigureAwait(false);
            try
            {
                // nothing to do if the client answered meanwhile: aborting a closed WebSocket changes nothing
                socket.Abort();
            }
            catch (ObjectDisposedException)
            {
                // disposed once the read loop ended
            }
        }
    }
}
