using Parley.Client.Internal;
using Parley.Protocol;
using Parley.Protocol.Frames;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    /// <summary>
    /// The incoming frames that are not replies, in the order they came: the same frames as
    /// <see cref="FrameReceived"/>. Ends when the client is quit or disposed.
    /// </summary>
    /// <remarks>
    /// Frames are buffered from the moment the client is created, whether or not anyone reads, up to
    /// <see cref="ParleyClientOptions.ReceiveBufferCapacity"/>; past that the oldest are dropped and counted in
    /// <see cref="DroppedFrameCount"/>. So a program that only uses the event costs a bounded buffer, and a
    /// reader that keeps up loses nothing. Meant for one reader: with several, each frame goes to one of them.
    /// </remarks>
    public IAsyncEnumerable<ServerFrame> ReadFramesAsync(CancellationToken cancellationToken = default) =>
        _frames.Reader.ReadAllAsync(cancellationToken);

    /// <summary>The receive loop of one session: dispatches every frame, then ends the session.</summary>
    private async Task ReceiveAsync(ClientSession session)
    {
        ParleyException reason;
        try
        {
            while (true)
            {
                var frame = await session.Transport.ReadFrameAsync(session.Stopping).ConfigureAwait(false);
                if (frame is null)
                {
                    reason = new ParleyException(ClientErrorCodes.ConnectionLost, $"The server at {_options.Server} closed the connection.");
                    break;
                }
                session.MarkReceived();
                Dispatch(session, frame);
            }
        }
#pragma warning disable CA1031 // whatever ended the connection, the session ends and the client reconnects
        catch (Exception e)
#pragma warning restore CA1031
        {
            reason = new ParleyException(ClientErrorCodes.ConnectionLost, $"The connection to {_options.Server} was lost: {e.Message}", null, e);
        }
        OnSessionEnded(session, session.AbortReason ?? reason);
        await session.ShutdownAsync().ConfigureAwait(false);
    }

    /// <summary>Settles the request a reply answers, keeps the cursor, and passes the rest on.</summary>
    private void Dispatch(ClientSession session, ServerFrame frame)
    {
        PendingSend? send = null;
        TaskCompletionSource<ServerFrame>? reply = null;
        var publish = false;
        lock (_gate)
        {
            switch (frame)
            {
                case MessageFrame message:
                    publish = _cursor.Accept(message);
                    break;
                case AckFrame { Id: { } id } ack when _sends.TryTake(id, out send):
                    _cursor.OnAcknowledged(send.To, ack.Seq);
                    break;
                case ErrorFrame { Id: { } id } when _sends.TryTake(id, out send):
                    break;
                case JoinedFrame joined:
                    _cursor.OnJoined(joined.Room, joined.Seq);
                    TakeReply(frame, out reply);
                    break;
                case LeftFrame left:
                    _cursor.OnLeft(left.Room);
                    TakeReply(frame, out reply);
                    break;
                case PongFrame { Id: null }:
                    break; // the answer to the keepalive ping
                default:
                    // a reply nobody waits for any more (timed out, cancelled) is dropped
                    publish = frame.Id is null;
                    TakeReply(frame, out reply);
                    break;
            }
        }

        if (send is not null)
        {
            if (frame is AckFrame ack)
            {
                send.Acknowledge(ack);
            }
            else
            {
                send.Fail(ParleyException.FromError((ErrorFrame)frame));
            }
        }
        reply?.TrySetResult(frame);
        if (publish)
        {
            Publish(frame);
        }
        if (frame is ErrorFrame { Id: null } error && ClosesConnection(error.Code))
        {
            // the server closes after these; no need to wait for it
            session.Abort(ParleyException.FromError(error));
        }
    }

    private void TakeReply(ServerFrame frame, out TaskCompletionSource<ServerFrame>? reply) =>
        reply = frame.Id is { } id && _requests.TryTake(id, out var waiting) ? waiting : null;

    private void Publish(ServerFrame frame)
    {
        _frames.Writer.TryWrite(frame);
        Raise(FrameReceived, new ParleyFrameEventArgs(frame));
    }

    // without an id these end the connection; username_taken so when a newer sign-in took the name over
    private static bool ClosesConnection(string code) =>
        code is ErrorCodes.ServerShutdown or ErrorCodes.SlowConsumer or ErrorCodes.FrameTooLarge or ErrorCodes.UsernameTaken;
}
