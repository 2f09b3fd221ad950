using Parley.Client.Internal;
using Parley.Protocol;
using Parley.Protocol.Frames;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    /// <summary>
    /// A session ended: requests waiting on it fail with <c>connection_lost</c>; sends stay outstanding and
    /// the client reconnects, unless it was closed or reconnecting is off.
    /// </summary>
    private void OnSessionEnded(ClientSession session, ParleyException reason)
    {
        IReadOnlyList<TaskCompletionSource<ServerFrame>> orphans;
        IReadOnlyList<PendingSend> unsent = [];
        bool closed;
        lock (_gate)
        {
            if (!ReferenceEquals(_session, session))
            {
                return;
            }
            _session = null;
            closed = _closed;
            orphans = _requests.TakeAll();
            // taken over by a newer sign-in of the same identity: reconnecting would take it back, and so on
            if (_closed || !_options.AutoReconnect || reason.Code == ErrorCodes.UsernameTaken)
            {
                unsent = _sends.TakeAll();
                SetState(ParleyClientState.Offline, error: closed ? null : reason);
            }
            else
            {
                var delay = _backoff.DelayFor(1);
                SetState(ParleyClientState.Reconnecting, 1, delay, reason);
                var lifetime = _lifetime.Token;
                _reconnecting = Task.Run(() => ReconnectAsync(delay, reason, lifetime));
            }
        }
        Fail(orphans, new ParleyException(ClientErrorCodes.ConnectionLost, $"No reply: {reason.Message}", null, reason));
        Fail(unsent, closed
            ? new ParleyException(ClientErrorCodes.Closed, "Not acknowledged: the client has quit.")
            : new ParleyException(ClientErrorCodes.ConnectionLost, $"Not acknowledged: {reason.Message}", null, reason));
    }

    /// <summary>Tries again with backoff until a session is welcomed, the client is closed, or a refusal is final.</summary>
    private async Task ReconnectAsync(TimeSpan delay, ParleyException lastError, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (attempt > 1)
            {
                delay = _backoff.DelayFor(attempt);
                lock (_gate)
                {
                    if (_closed)
                    {
                        return;
                    }
                    SetState(ParleyClientState.Reconnecting, attempt, delay, lastError);
                }
            }
            try
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                Dictionary<string, long> resume;
                lock (_gate)
                {
                    resume = _cursor.BuildResume();
                }
                var (session, welcome, isNewIdentity) = await OpenSessionAsync(resume, cancellationToken).ConfigureAwait(false);
                if (!TryActivate(session, welcome, isNewIdentity))
                {
                    await session.ShutdownAsync().ConfigureAwait(false);
                }
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ParleyException e) when (IsFinalRefusal(e.Code))
            {
                GiveUp(e);
                return;
            }
            catch (ParleyException e)
            {
                lastError = e;
            }
#pragma warning disable CA1031 // an unforeseen failure of one attempt must not end reconnecting silently
            catch (Exception e)
#pragma warning restore CA1031
            {
                lastError = new ParleyException(ClientErrorCodes.ConnectionLost, e.Message, null, e);
            }
        }
    }

    /// <summary>The server will say the same however often it is asked: trying again cannot help.</summary>
    private static bool IsFinalRefusal(string code) =>
        code is ErrorCodes.AuthFailed or ErrorCodes.InvalidUsername or ErrorCodes.BadFrame
            or ErrorCodes.MissingField or ErrorCodes.InvalidField or ErrorCodes.UnknownType;

    private void GiveUp(ParleyException reason)
    {
        IReadOnlyList<PendingSend> unsent;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }
            unsent = _sends.TakeAll();
            SetState(ParleyClientState.Offline, error: reason);
        }
        Fail(unsent, new ParleyException(ClientErrorCodes.ConnectionLost, $"Not acknowledged: the client gave up reconnecting. {reason.Message}", null, reason));
    }
}
