using Parley.Protocol.Frames;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    /// <summary>Joins a room (<c>#name</c>), creating it if needed. Returns the members online now.</summary>
    /// <exception cref="ParleyException">Refused (<c>invalid_room</c>, ...), or see <see cref="RoomsAsync"/>.</exception>
    public Task<JoinedFrame> JoinAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        return RequestAsync<JoinedFrame>(new JoinFrame { Room = room }, cancellationToken);
    }

    /// <summary>Leaves a room.</summary>
    /// <exception cref="ParleyException">Refused (<c>invalid_room</c>, <c>not_in_room</c>, ...), or see <see cref="RoomsAsync"/>.</exception>
    public Task<LeftFrame> LeaveAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        return RequestAsync<LeftFrame>(new LeaveFrame { Room = room }, cancellationToken);
    }

    /// <summary>
    /// A page of a conversation (<c>#room</c> or a user), oldest first: the newest messages (before
    /// <paramref name="before"/> if given), or with <paramref name="after"/> the page after that seq.
    /// <paramref name="limit"/> defaults to 50 on the server and is at most 500.
    /// </summary>
    /// <remarks>History pages do not count as seen for resuming: they are the caller's to show.</remarks>
    /// <exception cref="ParleyException">Refused (<c>invalid_field</c>, <c>no_such_user</c>, ...), or see <see cref="RoomsAsync"/>.</exception>
    public Task<HistoryFrame> HistoryAsync(
        string to, long? before = null, long? after = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(to);
        return RequestAsync<HistoryFrame>(
            new HistoryRequestFrame { To = to, Before = before, After = after, Limit = limit }, cancellationToken);
    }

    /// <summary>The members of a room online now.</summary>
    /// <exception cref="ParleyException">Refused (<c>invalid_room</c>, ...), or see <see cref="RoomsAsync"/>.</exception>
    public Task<WhoFrame> WhoAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        return RequestAsync<WhoFrame>(new WhoRequestFrame { Room = room }, cancellationToken);
    }

    /// <summary>Every room with a member online, and <c>#lobby</c>, with member counts.</summary>
    /// <exception cref="ParleyException">
    /// <see cref="ClientErrorCodes.NotConnected"/> without a connection (reconnecting included: requests other
    /// than sends are not queued), <see cref="ClientErrorCodes.ConnectionLost"/> when the connection ended
    /// before the reply, <see cref="ClientErrorCodes.Timeout"/> after <see cref="ParleyClientOptions.RequestTimeout"/>.
    /// </exception>
    public Task<RoomsFrame> RoomsAsync(CancellationToken cancellationToken = default) =>
        RequestAsync<RoomsFrame>(new RoomsRequestFrame(), cancellationToken);

    /// <summary>
    /// Turns the current name into an account protected by <paramref name="password"/>. From then on the
    /// client signs in with the account's new token (<see cref="Token"/>) when it reconnects, and with the
    /// password should the server not know the token.
    /// </summary>
    /// <exception cref="ParleyException">Refused (<c>weak_password</c>, <c>already_registered</c>), or see <see cref="RoomsAsync"/>.</exception>
    public async Task<RegisteredFrame> RegisterAsync(string password, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        var registered = await RequestAsync<RegisteredFrame>(new RegisterFrame { Password = password }, cancellationToken)
            .ConfigureAwait(false);
        lock (_gate)
        {
            _password = password;
            _token = registered.Token ?? _token;
        }
        return registered;
    }

    /// <summary>
    /// Revokes the token of this session (<see cref="Token"/> becomes null): it signs in no more. A guest
    /// has no way back after it; its identity ends with the connection.
    /// </summary>
    /// <exception cref="ParleyException">See <see cref="RoomsAsync"/>.</exception>
    public async Task LogoutAsync(CancellationToken cancellationToken = default)
    {
        await RequestAsync<OkFrame>(new LogoutFrame(), cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _token = null;
        }
    }

    /// <summary>Asks the server whether it is there. The client pings on its own every <see cref="ParleyClientOptions.PingInterval"/>.</summary>
    /// <exception cref="ParleyException">See <see cref="RoomsAsync"/>.</exception>
    public Task<PongFrame> PingAsync(CancellationToken cancellationToken = default) =>
        RequestAsync<PongFrame>(new PingFrame(), cancellationToken);

    /// <summary>Writes a request with a fresh id and waits for the reply with that id.</summary>
    private async Task<TReply> RequestAsync<TReply>(ClientFrame request, CancellationToken cancellationToken)
        where TReply : ServerFrame
    {
        cancellationToken.ThrowIfCancellationRequested();
        var id = _ids.Next();
        request.Id = id;
        TaskCompletionSource<ServerFrame> reply;
        lock (_gate)
        {
            ThrowIfClosed();
            var session = _session ?? throw new ParleyException(ClientErrorCodes.NotConnected,
                _state == ParleyClientState.Offline
                    ? "The client is not connected: call ConnectAsync first."
                    : $"The client is {_state}: try again once it is connected.");
            reply = _requests.Add(id);
            session.Enqueue(request);
        }

        ServerFrame frame;
        try
        {
            frame = await reply.Task.WaitAsync(_options.RequestTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            Forget(id);
            throw new ParleyException(ClientErrorCodes.Timeout,
                $"No reply to \"{request.Type}\" within {_options.RequestTimeout.TotalSeconds:0.#} s.", null, e);
        }
        catch (OperationCanceledException)
        {
            Forget(id);
            throw;
        }
        return frame switch
        {
            TReply typed => typed,
            ErrorFrame error => throw ParleyException.FromError(error),
            _ => throw new ParleyException(ClientErrorCodes.ProtocolError,
                $"The server answered \"{request.Type}\" with \"{frame.Type}\"."),
        };
    }

    private void Forget(string id)
    {
        lock (_gate)
        {
            _requests.Remove(id);
        }
    }
}
