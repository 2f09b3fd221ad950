using Parley.Client.Internal;
using Parley.Protocol.Frames;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    /// <summary>
    /// Says <c>quit</c> and waits (at most <see cref="ParleyClientOptions.RequestTimeout"/>) for the server to
    /// flush what it owes (acks of sends already written included) and close. The client then stays
    /// <see cref="ParleyClientState.Offline"/>: it never reconnects, and <see cref="ReadFramesAsync"/> ends.
    /// Sends still outstanding fail with <see cref="ClientErrorCodes.Closed"/>.
    /// </summary>
    public async Task QuitAsync(string? reason = null, CancellationToken cancellationToken = default)
    {
        ClientSession? session;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }
            _closed = true;
            session = _session;
        }
        await _lifetime.CancelAsync().ConfigureAwait(false);
        if (session is not null)
        {
            session.Enqueue(new QuitFrame { Reason = reason });
            session.CompleteOutgoing();
            try
            {
                await session.Ended.WaitAsync(_options.RequestTimeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                session.Abort(null);
            }
            catch (OperationCanceledException)
            {
                session.Abort(null);
                await CloseAsync(session).ConfigureAwait(false);
                throw;
            }
        }
        await CloseAsync(session).ConfigureAwait(false);
    }

    /// <summary>
    /// Closes the connection at once (without <c>quit</c>; the server sees the connection end) and stops
    /// reconnecting. Outstanding sends and requests fail with <see cref="ClientErrorCodes.Closed"/>;
    /// <see cref="ReadFramesAsync"/> ends.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        ClientSession? session;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _closed = true;
            session = _session;
        }
        await _lifetime.CancelAsync().ConfigureAwait(false);
        session?.Abort(null);
        await CloseAsync(session).ConfigureAwait(false);
    }

    /// <summary>After quit or dispose: waits for the session and the reconnect loop to end, then settles everything.</summary>
    private async Task CloseAsync(ClientSession? session)
    {
        if (session is not null)
        {
            await session.Ended.ConfigureAwait(false);
        }
        Task reconnecting;
        lock (_gate)
        {
            reconnecting = _reconnecting;
        }
        await reconnecting.ConfigureAwait(false);

        IReadOnlyList<PendingSend> unsent;
        IReadOnlyList<TaskCompletionSource<ServerFrame>> orphans;
        lock (_gate)
        {
            unsent = _sends.TakeAll();
            orphans = _requests.TakeAll();
            SetState(ParleyClientState.Offline);
        }
        var closed = new ParleyException(ClientErrorCodes.Closed, "The client has quit.");
        Fail(unsent, closed);
        Fail(orphans, closed);
        _frames.Writer.TryComplete();
        _stateChanges.Writer.TryComplete();
    }
}
