using System.Diagnostics;
using System.Threading.Channels;
using Parley.Client.Internal;
using Parley.Protocol.Frames;

namespace Parley.Client;

/// <summary>
/// A client of a Parley server (protocol v1) over TCP or WebSocket: connects, sends with acknowledgment,
/// makes requests, receives messages, and after a lost connection reconnects and resumes so that no message
/// is lost and none is delivered twice.
/// </summary>
/// <remarks>
/// <para>Every public member may be called from any thread. Frames are written by one writer loop per
/// connection, in the order the calls were made.</para>
/// <para>Incoming frames that are not replies (messages, presence, errors without id) are both raised as
/// <see cref="FrameReceived"/> and buffered for <see cref="ReadFramesAsync"/>.</para>
/// <para>Lock order: the client's one lock is never held while user code runs or while awaiting.</para>
/// </remarks>
public sealed partial class ParleyClient : IAsyncDisposable
{
    private readonly ParleyClientOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly FrameIdGenerator _ids = new();
    private readonly ReconnectBackoff _backoff;
    private readonly ConversationCursor _cursor;
    private readonly OutstandingSends _sends = new();
    private readonly PendingRequests _requests = new();
    private readonly Channel<ServerFrame> _frames;
    private readonly Channel<ParleyStateChangedEventArgs> _stateChanges =
        Channel.CreateUnbounded<ParleyStateChangedEventArgs>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _lifetime = new();

    // guarded by _gate
    private ParleyClientState _state;
    private ClientSession? _session;
    private string? _password;
    private string? _token;
    private bool _closed;
    private bool _disposed;
    private Task _reconnecting = Task.CompletedTask;

    private long _droppedFrames;

    /// <summary>Creates a client; nothing happens on the network until <see cref="ConnectAsync"/>.</summary>
    /// <exception cref="ArgumentException">The options are not usable.</exception>
    public ParleyClient(ParleyClientOptions options) : this(options, TimeProvider.System) { }

    /// <summary>Creates a client whose reconnect backoff, pings, liveness check and timeouts follow <paramref name="timeProvider"/>.</summary>
    /// <exception cref="ArgumentException">The options are not usable.</exception>
    public ParleyClient(ParleyClientOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Validate(options);
        _options = options;
        _time = timeProvider;
        _password = options.Password;
        _token = options.Token;
        _backoff = new ReconnectBackoff(options.ReconnectMinDelay, options.ReconnectMaxDelay);
        _cursor = new ConversationCursor(options.User);
        _frames = Channel.CreateBounded<ServerFrame>(
            new BoundedChannelOptions(options.ReceiveBufferCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true },
            _ => Interlocked.Increment(ref _droppedFrames));
        // on the thread pool, never on a caller's synchronization context
        _ = Task.Run(RaiseStateChangesAsync);
    }

    /// <summary>The options the client was made with.</summary>
    public ParleyClientOptions Options => _options;

    /// <summary>Where the client is now. <see cref="StateChanged"/> tells each change.</summary>
    public ParleyClientState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>The username as the server holds it (from the last <c>welcome</c>; before it, as in the options).</summary>
    public string User
    {
        get
        {
            lock (_gate)
            {
                return _cursor.Self;
            }
        }
    }

    /// <summary>
    /// The identity token of the last <c>welcome</c> or <c>registered</c>, which the client signs in with when it
    /// reconnects; null before the first welcome and after <see cref="LogoutAsync"/>. Keep it (never the password)
    /// to sign in as the same person later (<see cref="ParleyClientOptions.Token"/>).
    /// </summary>
    public string? Token
    {
        get
        {
            lock (_gate)
            {
                return _token;
            }
        }
    }

    /// <summary>The rooms joined, as the client knows them from <c>welcome</c>, <c>joined</c> and <c>left</c>.</summary>
    public IReadOnlyCollection<string> JoinedRooms
    {
        get
        {
            lock (_gate)
            {
                return _cursor.JoinedRooms;
            }
        }
    }

    /// <summary>How many frames <see cref="ReadFramesAsync"/> dropped because its buffer was full.</summary>
    public long DroppedFrameCount => Interlocked.Read(ref _droppedFrames);

    /// <summary>
    /// Raised after each change of <see cref="State"/>, one at a time and in order, on a thread of the
    /// client's own (never under its lock). An exception a handler throws is ignored.
    /// </summary>
    public event EventHandler<ParleyStateChangedEventArgs>? StateChanged;

    /// <summary>
    /// Raised for each incoming frame that is not a reply: a new (never repeated) <c>message</c> from someone
    /// else, a <c>presence</c>, an <c>error</c> without id (<c>server_shutdown</c>, <c>slow_consumer</c>, ...).
    /// Handlers run on the receive loop, in the order the frames came: keep them short, since a blocked
    /// handler holds up the connection. An exception a handler throws is ignored so that it cannot break
    /// the connection.
    /// </summary>
    public event EventHandler<ParleyFrameEventArgs>? FrameReceived;

    /// <summary>
    /// Raised for every <c>welcome</c>, the first and each after a reconnect, once the session is current and
    /// before any frame that follows it is raised. An exception a handler throws is ignored.
    /// </summary>
    public event EventHandler<ParleyWelcomeEventArgs>? Welcomed;

    private static void Validate(ParleyClientOptions options)
    {
        if (!options.Server.IsAbsoluteUri || !ParleyClientOptions.IsSupportedScheme(options.Server.Scheme))
        {
            throw new ArgumentException($"The server address {options.Server} is not tcp://, tls://, ws:// or wss://.", nameof(options));
        }
        if (string.IsNullOrEmpty(options.User))
        {
            throw new ArgumentException("A user name is needed.", nameof(options));
        }
        if (options.ReconnectMinDelay <= TimeSpan.Zero || options.ReconnectMaxDelay < options.ReconnectMinDelay)
        {
            throw new ArgumentException("The reconnect delays need 0 < min <= max.", nameof(options));
        }
        if (options.PingInterval <= TimeSpan.Zero || options.RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("The ping interval and the request timeout must be positive.", nameof(options));
        }
        if (options.MaxFrameBytes <= 0 || options.ReceiveBufferCapacity <= 0)
        {
            throw new ArgumentException("The frame limit and the receive buffer must be positive.", nameof(options));
        }
    }

    /// <summary>Changes the state and queues the event. The caller holds the lock.</summary>
    private void SetState(ParleyClientState state, int attempt = 0, TimeSpan? nextDelay = null, ParleyException? error = null)
    {
        Debug.Assert(_gate.IsHeldByCurrentThread);
        var previous = _state;
        if (previous == state && state != ParleyClientState.Reconnecting)
        {
            return;
        }
        _state = state;
        _stateChanges.Writer.TryWrite(new ParleyStateChangedEventArgs(previous, state, attempt, nextDelay, error));
    }

    private async Task RaiseStateChangesAsync()
    {
        await foreach (var change in _stateChanges.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            Raise(StateChanged, change);
        }
    }

    // an application's handler that throws must not break the connection, nor stop the events that follow
    private void Raise<TArgs>(EventHandler<TArgs>? handler, TArgs args)
    {
        try
        {
            handler?.Invoke(this, args);
        }
#pragma warning disable CA1031 // whatever a handler throws is the application's
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>Throws when the client was quit or disposed. The caller holds the lock.</summary>
    private void ThrowIfClosed()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_closed)
        {
            throw new ParleyException(ClientErrorCodes.Closed, "The client has quit.");
        }
    }
}
