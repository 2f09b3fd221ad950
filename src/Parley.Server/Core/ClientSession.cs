using System.Buffers;
using Microsoft.Extensions.Logging;
using Parley.Protocol;
using Parley.Protocol.Frames;

namespace Parley.Server.Core;

/// <summary>
/// One client's session: the protocol state machine between <c>hello</c> and the end of the
/// connection. Frames arrive one at a time from the transport's read loop; deliveries arrive from
/// other threads through <see cref="DeliverMessage"/> and <see cref="DeliverEvent"/>.
/// </summary>
public sealed partial class ClientSession
{
    private readonly ChatServer _server;
    private readonly ILogger<ClientSession> _logger;
    private readonly HashSet<string> _rooms = new(StringComparer.Ordinal);
    private readonly TokenBucket? _sendBucket;
    private readonly TokenBucket? _joinBucket;
    private long _correlations;
    // set by quit (the guest's identity ends with the connection) and by a takeover (the rooms are not told)
    private bool _endsIdentity;
    private volatile bool _takenOver;

    internal ClientSession(ChatServer server, ClientConnection connection, ILogger<ClientSession> logger)
    {
        _server = server;
        _logger = logger;
        Connection = connection;
        if (!server.Options.FlowControlDisabled)
        {
            _sendBucket = new TokenBucket(server.Options.SendsPerSecond, server.Options.SendBurst, server.Time);
        }
        if (!server.Options.Limits.Disabled)
        {
            var joins = server.Options.Limits.JoinsPerSecond;
            _joinBucket = new TokenBucket(joins, Math.Max(1, (int)Math.Ceiling(joins)), server.Time);
        }
    }

    /// <summary>The connection the session talks over.</summary>
    public ClientConnection Connection { get; }

    /// <summary>The name as shown, once <c>hello</c> succeeded.</summary>
    public string? User { get; private set; }

    /// <summary>The key the name is held under (its confusable skeleton), once <c>hello</c> succeeded.</summary>
    public string? UserKey => Holder?.Skeleton;

    /// <summary>
    /// The identity the session speaks for, once <c>hello</c> succeeded: an account's, or a guest's that
    /// lasts while it holds its name. Direct conversations and idempotency belong to it.
    /// </summary>
    public string? Identity => Holder?.Identity;

    /// <summary>Who holds the name: the identity, the name's forms and, for a guest, its token's hash.</summary>
    public NameHolder? Holder { get; private set; }

    /// <summary>True when the name is a registered account.</summary>
    public bool IsAccount => Holder is { IsGuest: false };

    /// <summary>
    /// Handles one frame from the transport. The bytes are parsed before the first await, so the
    /// transport may release its buffer as soon as this returns.
    /// </summary>
    public ValueTask ReceiveAsync(in ReadOnlySequence<byte> frame)
    {
        var now = _server.Time.GetTimestamp();
        Connection.MarkActive(now);
        _server.Metrics.FrameIn();
        var read = FrameCodec.ReadClientFrame(frame);
        // before hello, any frame but hello is refused as such, whatever else is wrong with it; what is
        // not a frame at all (no string type) is a bad_frame
        if (User is null && read.Type is { } type && type != FrameTypes.Hello)
        {
            Fail(read.Id, ErrorCodes.NotAuthenticated, "Say hello first: {\"type\":\"hello\",\"user\":\"NAME\"}.");
            return ValueTask.CompletedTask;
        }
        if (read.Frame is null)
        {
            Fail(read.Id, read.ErrorCode!, read.ErrorMessage!);
            return ValueTask.CompletedTask;
        }
        return DispatchAsync(read.Frame, now);
    }

    /// <summary>Refuses a frame the transport could not take (binary WebSocket message).</summary>
    public void RejectUnreadable(string message)
    {
        Connection.MarkActive(_server.Time.GetTimestamp());
        _server.Metrics.FrameIn();
        Fail(null, ErrorCodes.BadFrame, message);
    }

    /// <summary>Refuses a frame over the limit and closes: on TCP the frame's end cannot be trusted any more.</summary>
    public void RejectTooLarge()
    {
        _server.Metrics.Error(ErrorCodes.FrameTooLarge);
        LogFrameTooLarge(Connection.Id, User, _server.Options.MaxFrameBytes);
        Connection.Close(new ErrorFrame
        {
            Code = ErrorCodes.FrameTooLarge,
            Message = $"A frame may be at most {_server.Options.MaxFrameBytes} bytes. The connection is closed.",
        });
    }

    private async ValueTask DispatchAsync(ClientFrame frame, long receivedAt)
    {
        if (_server.IsStopping)
        {
            return; // the connection is about to get server_shutdown; the client resends after reconnecting
        }
        try
        {
            switch (frame)
            {
                case HelloFrame hello:
                    await HelloAsync(hello).ConfigureAwait(false);
                    break;
                case SendFrame send:
                    await SendAsync(send, receivedAt).ConfigureAwait(false);
                    break;
                case JoinFrame join:
                    await JoinAsync(join).ConfigureAwait(false);
                    break;
                case LeaveFrame leave:
                    await LeaveAsync(leave).ConfigureAwait(false);
                    break;
                case HistoryRequestFrame history:
                    await HistoryAsync(history).ConfigureAwait(false);
                    break;
                case WhoRequestFrame who:
                    await WhoAsync(who).ConfigureAwait(false);
                    break;
                case RoomsRequestFrame rooms:
                    await ListRoomsAsync(rooms).ConfigureAwait(false);
                    break;
                case RegisterFrame register:
                    await RegisterAsync(register).ConfigureAwait(false);
                    break;
                case LogoutFrame logout:
                    await LogoutAsync(logout).ConfigureAwait(false);
                    break;
                case PingFrame ping:
                    Reply(new PongFrame { Id = ping.Id });
                    break;
                case QuitFrame:
                    // what is owed includes the acks of sends still being committed
                    await _server.Store.FlushAsync().ConfigureAwait(false);
                    // a guest that says quit ends its identity: the name is free by the time the client sees the close
                    _endsIdentity = true;
                    _server.End(this);
                    Connection.Close();
                    break;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var correlation = NewCorrelation();
            LogHandlerFailed(correlation, frame.Type, e);
            Fail(frame.Id, ErrorCodes.InternalError, $"The server failed on this frame; it is logged as {correlation}.");
        }
    }

    /// <summary>A correlation for an internal error: the connection and a counter.</summary>
    internal string NewCorrelation() =>
        $"{Connection.Id}-{Interlocked.Increment(ref _correlations).ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>Queues a reply.</summary>
    internal void Reply(ServerFrame frame) => Connection.Enqueue(frame);

    /// <summary>Queues an error; the connection stays open.</summary>
    internal void Fail(string? id, string code, string message, long? retryAfterMs = null)
    {
        _server.Metrics.Error(code);
        Connection.Enqueue(new ErrorFrame { Id = id, Code = code, Message = message, RetryAfterMs = retryAfterMs });
    }

    /// <summary>
    /// Leaves every room (telling the others, unless a newer session of the identity took over) and gives up
    /// the name: a guest's stays held for its grace period, so that it can come back with its token, unless
    /// it said <c>quit</c> or has no token any more. Called once, when the connection ends.
    /// </summary>
    internal void End()
    {
        if (Holder is not { } holder || User is null)
        {
            return;
        }
        var now = Timestamps.TruncateToMilliseconds(_server.Time.GetUtcNow());
        foreach (var name in _rooms)
        {
            _server.Rooms.Leave(name, this);
            if (!_takenOver)
            {
                _server.Fanout.PublishPresence(name, User, holder.Skeleton, PresenceEvents.Quit, now);
            }
        }
        _server.Ledger.Forget(holder.Identity);
        var keep = holder.IsGuest && holder.GuestTokenHash is not null && !_endsIdentity ? _server.Options.GuestGrace : TimeSpan.Zero;
        _server.Users.Release(this, keep);
        LogSessionEnded(User, Connection.Id);
    }

    /// <summary>A newer session of the same identity took the name over: this one ends without telling the rooms it left.</summary>
    internal void MarkTakenOver() => _takenOver = true;
}
