using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Server.Diagnostics;
using Parley.Server.Hosting;
using Parley.Server.Storage;

namespace Parley.Server.Core;

/// <summary>
/// The chat core: sessions, rooms, sequencing through the store, and delivery. Transports hand it
/// connections and frames; it knows nothing of sockets.
/// </summary>
public sealed partial class ChatServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<ClientSession, byte> _sessions = new();
    private readonly ILogger<ChatServer> _logger;
    private readonly ILoggerFactory _loggerFactory;
    private ITimer? _idleSweep;
    private ITimer? _tokenSweep;
    private volatile bool _stopping;

    /// <summary>Creates the core over its store and fan-out.</summary>
    public ChatServer(
        IOptions<ServerOptions> options,
        IChatStore store,
        RoomRegistry rooms,
        SessionRegistry users,
        IFanout fanout,
        IRoomDirectory directory,
        ParleyMetrics metrics,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        Limits.RefusalLog refusals)
    {
        Options = options.Value;
        Store = store;
        Rooms = rooms;
        Users = users;
        Fanout = fanout;
        Directory = directory;
        Metrics = metrics;
        Time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ChatServer>();
        Ledger = new IdempotencyLedger(Options.IdempotencyCacheSize);
        Refusals = refusals;
        var limits = Options.Limits;
        PasswordWork = new PasswordWork(limits.Disabled ? int.MaxValue : limits.PasswordQueue, metrics);
        Guessing = new Limits.PasswordGuessing(limits, time);
        Registrations = new Limits.RegistrationLimit(limits, time);
        OutgoingBudget = limits.OutgoingBytes > 0 ? limits.OutgoingBytes : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4;
    }

    /// <summary>The settings.</summary>
    public ServerOptions Options { get; }
    /// <summary>Where messages and accounts are kept.</summary>
    public IChatStore Store { get; }
    /// <summary>Rooms and their members online.</summary>
    public RoomRegistry Rooms { get; }
    /// <summary>Who is online.</summary>
    public SessionRegistry Users { get; }
    /// <summary>Delivery of committed messages and presence.</summary>
    public IFanout Fanout { get; }
    /// <summary>Who is in which room, on this server or across the cluster.</summary>
    public IRoomDirectory Directory { get; }
    /// <summary>Counters for <c>/metrics</c>.</summary>
    public ParleyMetrics Metrics { get; }
    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }
    /// <summary>Acks given recently, and sends in flight, by (user, id).</summary>
    public IdempotencyLedger Ledger { get; }
    /// <summary>Where every refusal by a limit is counted and logged.</summary>
    public Limits.RefusalLog Refusals { get; }
    /// <summary>Password hashing, beside the thread pool and bounded.</summary>
    internal PasswordWork PasswordWork { get; }
    /// <summary>Who guessed passwords lately.</summary>
    public Limits.PasswordGuessing Guessing { get; }
    /// <summary>Who registered accounts lately.</summary>
    public Limits.RegistrationLimit Registrations { get; }
    /// <summary>True once the server has begun to stop.</summary>
    public bool IsStopping => _stopping;

    /// <summary>Opens the store and starts the idle sweep.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await Store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await NameRulesUpgrade.RunAsync(Store, _logger, cancellationToken).ConfigureAwait(false);
        await ForgetUnusedTokensAsync().ConfigureAwait(false);
        await Fanout.StartAsync(cancellationToken).ConfigureAwait(false);
        var period = TimeSpan.FromTicks(Math.Clamp(Options.IdleTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 50, TimeSpan.TicksPerSecond));
        _idleSweep = Time.CreateTimer(_ => Sweep(), null, period, period);
        _tokenSweep = Time.CreateTimer(_ => _ = ForgetUnusedTokensAsync(), null, TimeSpan.FromDays(1), TimeSpan.FromDays(1));
    }

    // a token unused for its lifetime signs in no more: it need not be kept
    private async Task ForgetUnusedTokensAsync()
    {
        try
        {
            var forgotten = await Store.DeleteTokensUnusedSinceAsync(Time.GetUtcNow() - Options.TokenLifetime).ConfigureAwait(false);
            if (forgotten > 0)
            {
                LogTokensForgotten(forgotten);
            }
        }
        catch (Exception error) when (!_stopping)
        {
            LogTokenSweepFailed(error);
        }
    }

    /// <summary>Starts a session for a new connection. The transport then feeds it frames.</summary>
    public ClientSession Open(ClientConnection connection)
    {
        connection.Start(Options.OutgoingQueueBytes, Options.FinalFrameTimeout, Metrics, Time.GetTimestamp(),
            (failed, error) => LogWriterFailed(failed.Id, error));
        var session = new ClientSession(this, connection, _loggerFactory.CreateLogger<ClientSession>());
        Metrics.ConnectionOpened();
        LogConnectionOpened(connection.Id, connection.Transport, connection.RemoteAddress);
        if (_stopping)
        {
            connection.Close(ShutdownFrame());
            return session;
        }
        _sessions.TryAdd(session, 0);
        return session;
    }

    /// <summary>Ends a session whose transport has finished reading: leaves its rooms and frees its name.</summary>
    public async ValueTask CloseAsync(ClientSession session)
    {
        session.Connection.Close();
        End(session);
        await session.Connection.WriterCompletion.ConfigureAwait(false);
        Metrics.ConnectionClosed();
        LogConnectionClosed(session.Connection.Id, session.User);
    }

    /// <summary>Leaves the session's rooms and frees its name, once, before its connection is gone.</summary>
    internal void End(ClientSession session)
    {
        if (_sessions.TryRemove(session, out _))
        {
            session.End();
        }
    }

    /// <summary>
    /// Stops the server: stops taking frames, commits and acks what is in flight, then sends
    /// <c>server_shutdown</c> to every client and waits (bounded) for it to go out.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_stopping)
        {
            return;
        }
        _stopping = true;
        LogStopping(_sessions.Count);
        _idleSweep?.Dispose();
        _tokenSweep?.Dispose();
        await Store.FlushAsync(cancellationToken).ConfigureAwait(false);
        var shutdown = ShutdownFrame();
        foreach (var session in _sessions.Keys)
        {
            session.Connection.Close(shutdown);
        }
        var writers = _sessions.Keys.Select(s => s.Connection.WriterCompletion);
        try
        {
            await Task.WhenAll(writers).WaitAsync(Options.ShutdownGrace, Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // a client that does not read its last frame does not hold up the stop; its transport cuts it off
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _idleSweep?.Dispose();
        _tokenSweep?.Dispose();
        await Fanout.DisposeAsync().ConfigureAwait(false);
        await Store.DisposeAsync().ConfigureAwait(false);
    }

    private static ErrorFrame ShutdownFrame() => new()
    {
        Code = ErrorCodes.ServerShutdown,
        Message = "The server is stopping. Reconnect and resume.",
    };

    // a few times a second at most: connections silent too long are closed, and the bytes all connections
    // hold for clients that have not taken them are kept within the server's budget
    private void Sweep()
    {
        var now = Time.GetTimestamp();
        long held = 0;
        foreach (var session in _sessions.Keys)
        {
            if (Time.GetElapsedTime(session.Connection.LastActivity, now) > Options.IdleTimeout)
            {
                LogIdleTimeout(session.Connection.Id, session.User);
                session.Connection.Abort();
            }
            held += session.Connection.HeldBytes;
        }
        Metrics.OutgoingHeld(held);
        if (held > OutgoingBudget && !Options.Limits.Disabled)
        {
            CutLargestHolders(held);
        }
    }

    /// <summary>The bytes all connections hold now for clients that have not taken them.</summary>
    public long OutgoingBytes() => _sessions.Keys.Sum(s => s.Connection.HeldBytes);

    /// <summary>Bytes all connections together may hold (<c>Parley:Limits:OutgoingBytes</c>, else a quarter of the memory there is).</summary>
    internal long OutgoingBudget { get; }

    // the largest holders first, until what is held is back under nine tenths of the budget
    private void CutLargestHolders(long held)
    {
        var goal = OutgoingBudget / 10 * 9;
        foreach (var session in _sessions.Keys.OrderByDescending(s => s.Connection.HeldBytes).ToList())
        {
            if (held <= goal)
            {
                return;
            }
            var holding = session.Connection.HeldBytes;
            Refusals.Refused(Limits.AddressKey.Of(session.Connection.RemoteIp), Limits.RefusalReasons.OutgoingMemory);
            session.Connection.CutAsSlowConsumer();
            held -= holding;
        }
    }

    [LoggerMessage(EventId = ParleyEventIds.ConnectionOpened, Level = LogLevel.Debug, Message = "Connection {ConnectionId} opened over {Transport} from {Remote}")]
    private partial void LogConnectionOpened(string connectionId, string transport, string remote);

    [LoggerMessage(EventId = ParleyEventIds.ConnectionClosed, Level = LogLevel.Debug, Message = "Connection {ConnectionId} ({User}) closed")]
    private partial void LogConnectionClosed(string connectionId, string? user);

    [LoggerMessage(EventId = ParleyEventIds.WriterFailed, Level = LogLevel.Error, Message = "The writer of connection {ConnectionId} failed; the connection is closed")]
    private partial void LogWriterFailed(string connectionId, Exception error);

    [LoggerMessage(EventId = ParleyEventIds.IdleTimeout, Level = LogLevel.Information, Message = "Connection {ConnectionId} ({User}) was silent too long and is closed")]
    private partial void LogIdleTimeout(string connectionId, string? user);

    [LoggerMessage(EventId = ParleyEventIds.TokensExpired, Level = LogLevel.Information, Message = "Forgot {Count} identity tokens unused for their lifetime")]
    private partial void LogTokensForgotten(int count);

    [LoggerMessage(EventId = ParleyEventIds.TokenSweepFailed, Level = LogLevel.Warning, Message = "Forgetting unused identity tokens failed; trying again tomorrow")]
    private partial void LogTokenSweepFailed(Exception error);

    [LoggerMessage(EventId = ParleyEventIds.Stopping, Level = LogLevel.Information, Message = "Stopping: telling {Count} clients the server is shutting down")]
    private partial void LogStopping(int count);
}
