using System.Net.Sockets;
using System.Net.WebSockets;
using Parley.Client.Internal;
using Parley.Client.Transports;
using Parley.Protocol;
using Parley.Protocol.Frames;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    /// <summary>
    /// Connects, sends <c>hello</c> and returns the server's <c>welcome</c>. Does not retry: a refusal or an
    /// unreachable server is reported at once. Once welcomed, a lost connection is reconnected
    /// (<see cref="ParleyClientOptions.AutoReconnect"/>). May be called again after the client went
    /// <see cref="ParleyClientState.Offline"/> by giving up; it then resumes where it was.
    /// </summary>
    /// <exception cref="ParleyException">
    /// The server refused the <c>hello</c> (<c>invalid_username</c>, <c>username_taken</c>, <c>auth_failed</c>, ...;
    /// the client closes that connection), could not be reached (<see cref="ClientErrorCodes.Unreachable"/>),
    /// did not answer in time (<see cref="ClientErrorCodes.Timeout"/>) or closed the connection
    /// (<see cref="ClientErrorCodes.ConnectionLost"/>).
    /// </exception>
    /// <exception cref="InvalidOperationException">The client is connecting, connected or reconnecting already.</exception>
    public async Task<WelcomeFrame> ConnectAsync(CancellationToken cancellationToken = default)
    {
        Dictionary<string, long> resume;
        CancellationToken lifetime;
        lock (_gate)
        {
            ThrowIfClosed();
            if (_state != ParleyClientState.Offline)
            {
                throw new InvalidOperationException($"The client is {_state} already.");
            }
            SetState(ParleyClientState.Connecting);
            resume = _cursor.BuildResume();
            lifetime = _lifetime.Token;
        }
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime);
            var (session, welcome, isNewIdentity) = await OpenSessionAsync(resume, linked.Token).ConfigureAwait(false);
            if (!TryActivate(session, welcome, isNewIdentity))
            {
                await session.ShutdownAsync().ConfigureAwait(false);
                throw new ParleyException(ClientErrorCodes.Closed, "The client was closed while it connected.");
            }
            return welcome;
        }
        catch (Exception e)
        {
            IReadOnlyList<PendingSend> unsent = [];
            lock (_gate)
            {
                if (_state == ParleyClientState.Connecting)
                {
                    unsent = _sends.TakeAll();
                    SetState(ParleyClientState.Offline, error: e as ParleyException);
                }
            }
            Fail(unsent, new ParleyException(ClientErrorCodes.NotConnected, $"Not sent: the connection failed. {e.Message}", null, e));
            if (e is OperationCanceledException && lifetime.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new ParleyException(ClientErrorCodes.Closed, "The client was closed while it connected.", null, e);
            }
            throw;
        }
    }

    /// <summary>
    /// Opens a transport, says <c>hello</c> (with the token, else the password, and <paramref name="resume"/>)
    /// and waits for the <c>welcome</c>. A token the server does not know is followed, on the same connection,
    /// by the password, or for a guest by a <c>hello</c> as a new guest (<c>IsNewIdentity</c>).
    /// </summary>
    private async Task<(ClientSession Session, WelcomeFrame Welcome, bool IsNewIdentity)> OpenSessionAsync(
        Dictionary<string, long> resume, CancellationToken cancellationToken)
    {
        var transport = await FrameTransportFactory.ConnectAsync(_options, _time, cancellationToken).ConfigureAwait(false);
        using var timer = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            string? password, token;
            lock (_gate)
            {
                (password, token) = (_password, _token);
            }
            var isNewIdentity = false;
            var helloId = SayHello(transport, token, password, resume);
            await transport.FlushAsync(linked.Token).ConfigureAwait(false);
            while (true)
            {
                switch (await transport.ReadFrameAsync(linked.Token).ConfigureAwait(false))
                {
                    case null:
                        throw new ParleyException(ClientErrorCodes.ConnectionLost,
                            $"The server at {_options.Server} closed the connection before the welcome.");
                    case WelcomeFrame welcome:
                        return (new ClientSession(transport, _time), welcome, isNewIdentity);
                    case ErrorFrame { Code: ErrorCodes.AuthFailed } error when token is not null && error.Id == helloId:
                        // the server no longer knows the token: the password, or for a guest a new identity
                        isNewIdentity = password is null;
                        token = null;
                        helloId = SayHello(transport, null, password, resume);
                        await transport.FlushAsync(linked.Token).ConfigureAwait(false);
                        continue;
                    case ErrorFrame error:
                        throw ParleyException.FromError(error);
                    default:
                        continue; // nothing else is due before the welcome
                }
            }
        }
        catch (Exception e)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            if (e is OperationCanceledException && timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new ParleyException(ClientErrorCodes.Timeout,
                    $"The server at {_options.Server} did not answer hello within {_options.RequestTimeout.TotalSeconds:0.#} s.", null, e);
            }
            if (e is IOException or SocketException or WebSocketException or ObjectDisposedException)
            {
                throw new ParleyException(ClientErrorCodes.ConnectionLost,
                    $"The connection to {_options.Server} was lost before the welcome: {e.Message}", null, e);
            }
            throw;
        }
    }

    private string SayHello(IFrameTransport transport, string? token, string? password, Dictionary<string, long> resume)
    {
        var id = _ids.Next();
        transport.Write(new HelloFrame
        {
            Id = id,
            User = _options.User,
            Token = token,
            Password = token is null ? password : null,
            Client = _options.ClientName,
            Resume = resume.Count > 0 ? resume : null,
        });
        return id;
    }

    /// <summary>
    /// Makes a welcomed session the current one: counts the welcome, keeps its token, writes every
    /// unacknowledged send again in its original order, and starts the loops. False when the client was closed meanwhile.
    /// </summary>
    private bool TryActivate(ClientSession session, WelcomeFrame welcome, bool isNewIdentity)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }
            _session = session;
            _token = welcome.Token ?? _token;
            _cursor.OnWelcome(welcome, isNewIdentity);
            SetState(ParleyClientState.Connected);
            // under the lock, so that a send made from now on is queued after these
            foreach (var send in _sends.InOrder())
            {
                session.Enqueue(send.Frame);
            }
        }
        RaiseWelcomed(welcome, isNewIdentity);
        session.Start(_options.PingInterval);
        _ = Task.Run(() => ReceiveAsync(session));
        return true;
    }

    private void RaiseWelcomed(WelcomeFrame welcome, bool isNewIdentity) =>
        Raise(Welcomed, new ParleyWelcomeEventArgs(welcome, isNewIdentity));

    private static void Fail(IReadOnlyList<PendingSend> sends, ParleyException error)
    {
        foreach (var send in sends)
        {
            send.Fail(error);
        }
    }

    private static void Fail(IReadOnlyList<TaskCompletionSource<ServerFrame>> requests, ParleyException error)
    {
        foreach (var request in requests)
        {
            request.TrySetException(error);
        }
    }
}
