using System.Threading.Channels;
using Parley.Client;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Tui.Commands;
using Parley.Tui.State;

namespace Parley.Tui;

/// <summary>
/// Feeds a <see cref="ChatState"/> from a <see cref="ParleyClient"/> and carries out what the user types.
/// Every change of the state goes through <c>post</c>, which runs it on the state's one thread (the UI
/// thread of the window; a lock in plain mode), in the order posted.
/// </summary>
internal sealed class ChatController
{
    /// <summary>How often a send refused with <c>rate_limited</c> is tried again after the wait the server asks for.</summary>
    private const int RateLimitRetries = 20;

    private readonly ParleyClient _client;
    private readonly ChatState _state;
    private readonly Action<Action> _post;
    private readonly string _server;
    private readonly Lock _gate = new();
    private readonly List<Task<bool>> _deliveries = [];
    private readonly Channel<Outgoing> _outbox = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SendPacer _pacer;
    // a slot per send handed to the client and not yet answered, at most the pacer's MaxInFlight
    private readonly SemaphoreSlim _inFlight;
    private readonly TimeProvider _time;

    /// <summary>Creates the controller; call <see cref="Attach"/> before connecting.</summary>
    public ChatController(ParleyClient client, ChatState state, Action<Action> post, string server, TimeProvider? time = null)
    {
        _client = client;
        _state = state;
        _post = post;
        _server = server;
        _time = time ?? TimeProvider.System;
        _pacer = SendPacer.ForProtocolDefaults(_time);
        _inFlight = new SemaphoreSlim(_pacer.MaxInFlight, _pacer.MaxInFlight);
        _ = Task.Run(PumpOutboxAsync);
    }

    /// <summary>Starts following the client's frames and connection state.</summary>
    public void Attach()
    {
        _client.FrameReceived += OnFrame;
        _client.StateChanged += OnStateChanged;
        _client.Welcomed += OnWelcomedAgain;
    }

    /// <summary>Stops following the client and sending.</summary>
    public void Detach()
    {
        _outbox.Writer.TryComplete();
        _client.FrameReceived -= OnFrame;
        _client.StateChanged -= OnStateChanged;
        _client.Welcomed -= OnWelcomedAgain;
    }

    /// <summary>Runs an action on the state's one thread, after everything posted before it.</summary>
    public void Post(Action action) => _post(action);

    /// <summary>The welcome of the first connection: fills the state.</summary>
    public void OnWelcome(WelcomeFrame welcome) => OnWelcome(welcome, isNewIdentity: false);

    // a welcome after a reconnect (the client raises it once attached)
    private void OnWelcomedAgain(object? sender, ParleyWelcomeEventArgs e) => OnWelcome(e.Welcome, e.IsNewIdentity);

    private void OnWelcome(WelcomeFrame welcome, bool isNewIdentity)
    {
        ArgumentNullException.ThrowIfNull(welcome);
        _post(() =>
        {
            if (isNewIdentity)
            {
                _state.Notice(
                    $"The server no longer knew you (it restarted, or you were away for more than a few minutes): you are signed in again as a new guest, {welcome.User}. "
                    + "Your direct conversations of before are not yours any more; /register a password to keep them from now on.", NoticeKind.Error);
            }
            var fresh = _state.OnWelcome(welcome, isNewIdentity);
            _ = FetchHistoryAsync(fresh);
        });
        _ = FetchMembersAsync(welcome.Rooms);
    }

    /// <summary>Direct conversations that came while one was away: their messages, to read.</summary>
    private async Task FetchHistoryAsync(IEnumerable<string> conversations)
    {
        foreach (var conversation in conversations)
        {
            try
            {
                var history = await _client.HistoryAsync(conversation).ConfigureAwait(false);
                _post(() => _state.OnHistory(history));
            }
            catch (ParleyException)
            {
                // the conversation stays listed with its count; its messages come with the next ones
            }
        }
    }

    /// <summary>The welcome names the rooms but not who is in them: ask.</summary>
    private async Task FetchMembersAsync(IEnumerable<string> rooms)
    {
        foreach (var room in rooms)
        {
            try
            {
                var who = await _client.WhoAsync(room).ConfigureAwait(false);
                _post(() => _state.SetMembers(who.Room, who.Users));
            }
            catch (ParleyException)
            {
                // the members show up with the next presence; nothing is lost
            }
        }
    }

    /// <summary>
    /// Carries out one line of the entry field. A message is handed to the client and not awaited (its ack
    /// updates its line later); a command is awaited, and its failure becomes an error notice.
    /// </summary>
    public async Task<CommandOutcome> ExecuteAsync(string line, string? currentConversation)
    {
        var command = CommandParser.Parse(line);
        try
        {
            switch (command)
            {
                case null:
                    return CommandOutcome.Done;
                case ChatCommand.SendText send when currentConversation is null:
                    _post(() => _state.Notice($"No conversation is open to send \"{send.Text}\" to: /join #room or /msg NAME.", NoticeKind.Error));
                    return CommandOutcome.Done;
                case ChatCommand.SendText send:
                    _ = Send(currentConversation, send.Text);
                    return CommandOutcome.Done;
                case ChatCommand.Join join:
                    var joined = await _client.JoinAsync(join.Room).ConfigureAwait(false);
                    _post(() => _state.OnJoined(joined));
                    return CommandOutcome.Done;
                case ChatCommand.Leave leave:
                    var room = leave.Room ?? currentConversation;
                    if (room is null || !Names.IsRoom(room))
                    {
                        _post(() => _state.Notice("This is not a room: /leave #room.", NoticeKind.Error));
                        return CommandOutcome.Done;
                    }
                    var left = await _client.LeaveAsync(room).ConfigureAwait(false);
                    _post(() => _state.OnLeft(left.Room));
                    return CommandOutcome.Done;
                case ChatCommand.DirectMessage direct:
                    _post(() => _state.OpenDirect(direct.User));
                    if (direct.Text is not null)
                    {
                        _ = Send(direct.User, direct.Text);
                    }
                    return CommandOutcome.Done;
                case ChatCommand.Who who:
                    var whoRoom = who.Room ?? currentConversation;
                    if (whoRoom is null || !Names.IsRoom(whoRoom))
                    {
                        _post(() => _state.Notice("This is not a room: /who #room.", NoticeKind.Error));
                        return CommandOutcome.Done;
                    }
                    var members = await _client.WhoAsync(whoRoom).ConfigureAwait(false);
                    _post(() => _state.OnWho(members));
                    return CommandOutcome.Done;
                case ChatCommand.ListRooms:
                    var rooms = await _client.RoomsAsync().ConfigureAwait(false);
                    var list = string.Join(", ", rooms.Rooms.Select(r => $"{r.Room} ({r.Members})"));
                    _post(() => _state.Notice($"rooms: {list}"));
                    return CommandOutcome.Done;
                case ChatCommand.Register { Password: null }:
                    return CommandOutcome.NeedsPassword;
                case ChatCommand.Register register:
                    await RegisterAsync(register.Password).ConfigureAwait(false);
                    return CommandOutcome.Done;
                case ChatCommand.Help:
                    _post(() =>
                    {
                        foreach (var help in CommandParser.HelpLines)
                        {
                            _state.Notice(help);
                        }
                    });
                    return CommandOutcome.Done;
                case ChatCommand.Quit:
                    return CommandOutcome.Quit;
                case ChatCommand.Invalid invalid:
                    _post(() => _state.Notice(invalid.Reason, NoticeKind.Error));
                    return CommandOutcome.Done;
                default:
                    throw new InvalidOperationException($"The command {command} is not handled.");
            }
        }
        catch (ParleyException e)
        {
            _post(() => _state.Notice($"{line.Trim()}: {Describe(e)}", NoticeKind.Error));
            return CommandOutcome.Done;
        }
    }

    /// <summary>Protects the name with a password; the outcome is told as a notice.</summary>
    public async Task RegisterAsync(string password)
    {
        try
        {
            var registered = await _client.RegisterAsync(password).ConfigureAwait(false);
            _post(() => _state.Notice($"{registered.User} is registered: from now on it needs the password."));
        }
        catch (ParleyException e)
        {
            _post(() => _state.Notice($"Not registered: {Describe(e)}", NoticeKind.Error));
        }
    }

    /// <summary>Sends a message: shown as pending at once, then delivered or refused.</summary>
    /// <returns>A task that completes with true once acknowledged, false if refused or never acknowledged.</returns>
    public Task<bool> Send(string conversation, string text)
    {
        var line = ChatLine.Pending(conversation, _client.User, text, DateTimeOffset.UtcNow);
        _post(() => _state.AddPending(line));
        return Track(DeliverAsync(line));
    }

    /// <summary>Sends a refused message again, in its place.</summary>
    public Task<bool> Retry(ChatLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Status != ChatLineStatus.Refused)
        {
            return Task.FromResult(line.Status == ChatLineStatus.Delivered);
        }
        _post(() => _state.OnRetrying(line));
        return Track(DeliverAsync(line));
    }

    /// <summary>Waits until every message sent so far is acknowledged or refused; true if all were acknowledged.</summary>
    public async Task<bool> WhenAllDeliveredAsync()
    {
        Task<bool>[] deliveries;
        lock (_gate)
        {
            deliveries = [.. _deliveries];
        }
        var results = await Task.WhenAll(deliveries).ConfigureAwait(false);
        return results.All(delivered => delivered);
    }

    /// <summary>A client failure as a person reads it: the code and the sentence.</summary>
    public static string Describe(ParleyException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return $"{error.Code}: {error.Message}";
    }

    private Task<bool> Track(Task<bool> delivery)
    {
        lock (_gate)
        {
            _deliveries.Add(delivery);
        }
        return delivery;
    }

    private Task<bool> DeliverAsync(ChatLine line)
    {
        var outgoing = new Outgoing(line, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_outbox.Writer.TryWrite(outgoing))
        {
            _post(() => _state.OnRefused(line, "closed: the client has quit."));
            return Task.FromResult(false);
        }
        return outgoing.Delivered.Task;
    }

    /// <summary>
    /// The one loop that hands messages to the client, in the order typed, at the pace the server allows.
    /// It does not wait for each ack, but for a free slot of the few that may be in flight at once: see
    /// <see cref="SendPacer"/> for why both keep the sends within the server's flow control.
    /// </summary>
    private async Task PumpOutboxAsync()
    {
        await foreach (var outgoing in _outbox.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await _inFlight.WaitAsync().ConfigureAwait(false);
            var wait = _pacer.Take();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time).ConfigureAwait(false);
            }
            Task<AckFrame> ack;
            try
            {
                ack = _client.SendAsync(outgoing.Line.Conversation, outgoing.Line.Text);
            }
            catch (ParleyException e)
            {
                ack = Task.FromException<AckFrame>(e);
            }
            _ = SettleAsync(outgoing, ack);
        }
    }

    private async Task SettleAsync(Outgoing outgoing, Task<AckFrame> sending)
    {
        // answered (or given up), whichever way: the next send may go
        await ((Task)sending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _inFlight.Release();
        try
        {
            var ack = await sending.ConfigureAwait(false);
            _post(() => _state.OnAcknowledged(outgoing.Line, ack));
            outgoing.Delivered.TrySetResult(true);
        }
        catch (ParleyException e) when (e.Code == ErrorCodes.RateLimited && outgoing.Attempt < RateLimitRetries)
        {
            // flow control, not a refusal: wait as long as the server asks, then queue it again
            await Task.Delay(e.RetryAfter ?? TimeSpan.FromSeconds(1), _time).ConfigureAwait(false);
            if (!_outbox.Writer.TryWrite(outgoing with { Attempt = outgoing.Attempt + 1 }))
            {
                Refuse(outgoing, e);
            }
        }
        catch (ParleyException e)
        {
            Refuse(outgoing, e);
        }
    }

    private void Refuse(Outgoing outgoing, ParleyException error)
    {
        _post(() => _state.OnRefused(outgoing.Line, Describe(error)));
        outgoing.Delivered.TrySetResult(false);
    }

    /// <summary>A message on its way: its line, the task its sender waits on, and how often it was rate limited.</summary>
    private sealed record Outgoing(ChatLine Line, TaskCompletionSource<bool> Delivered, int Attempt = 0);

    private void OnFrame(object? sender, ParleyFrameEventArgs e)
    {
        switch (e.Frame)
        {
            case MessageFrame message:
                _post(() => _state.OnMessage(message));
                break;
            case PresenceFrame presence:
                _post(() => _state.OnPresence(presence));
                break;
            case ErrorFrame error:
                _post(() => _state.Notice($"{error.Code}: {error.Message}", NoticeKind.Error));
                break;
        }
    }

    private void OnStateChanged(object? sender, ParleyStateChangedEventArgs e)
    {
        var status = new ConnectionStatus(e.State, _server, e.Attempt, e.Error?.Message);
        _post(() => _state.OnConnection(status));
    }
}
