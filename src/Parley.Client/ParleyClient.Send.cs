using Parley.Client.Internal;
using Parley.Protocol.Frames;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    /// <summary>
    /// Sends a message to a room (<c>#name</c>) or a user and returns its <c>ack</c>: the message is stored
    /// with its <c>seq</c> and <c>ts</c>.
    /// </summary>
    /// <remarks>
    /// <para>The send gets a unique id and stays outstanding until its <c>ack</c> or <c>error</c>. While the
    /// client reconnects it waits, and after every reconnect every outstanding send is written again, in the
    /// order first sent and with its original id; the server answers a repeated id with the original ack, so
    /// the message is stored and delivered once.</para>
    /// <para>Sends are not bound by <see cref="ParleyClientOptions.RequestTimeout"/>, since they outlive
    /// connections. Cancelling <paramref name="cancellationToken"/> stops the wait and withdraws the send from
    /// the resend ledger; if it was already handed to the connection the server may still store and deliver it.</para>
    /// </remarks>
    /// <exception cref="ParleyException">
    /// The server refused it (<c>not_in_room</c>, <c>no_such_user</c>, <c>empty_text</c>, <c>text_too_long</c>,
    /// <c>rate_limited</c> with <see cref="ParleyException.RetryAfter"/>, ...), the client is not connected
    /// (<see cref="ClientErrorCodes.NotConnected"/>), it gave up reconnecting
    /// (<see cref="ClientErrorCodes.ConnectionLost"/>) or was closed (<see cref="ClientErrorCodes.Closed"/>).
    /// </exception>
    public async Task<AckFrame> SendAsync(string to, string text, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(to);
        ArgumentNullException.ThrowIfNull(text);
        cancellationToken.ThrowIfCancellationRequested();
        var send = new PendingSend(_ids.Next(), to, text);
        lock (_gate)
        {
            ThrowIfClosed();
            if (_state == ParleyClientState.Offline)
            {
                throw new ParleyException(ClientErrorCodes.NotConnected, "The client is not connected: call ConnectAsync first.");
            }
            _sends.Add(send);
            // while reconnecting there is no session: the ledger alone holds the send until the next welcome
            _session?.Enqueue(send.Frame);
        }
        using var registration = cancellationToken.Register(() => Withdraw(send, cancellationToken));
        return await send.Task.ConfigureAwait(false);
    }

    private void Withdraw(PendingSend send, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _sends.Remove(send);
        }
        send.Cancel(cancellationToken);
    }
}
