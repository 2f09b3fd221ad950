using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Server.Storage;

namespace Parley.Server.Core;

public sealed partial class ClientSession
{
    private async Task HelloAsync(HelloFrame hello)
    {
        if (User is not null)
        {
            Fail(hello.Id, ErrorCodes.AlreadyAuthenticated, $"You are already {User}.");
            return;
        }
        if (!Names.TryNormalizeUser(hello.User, out var display, out var key))
        {
            Fail(hello.Id, ErrorCodes.InvalidUsername,
                "A name is 1 to 32 letters, digits, '_', '-' or '.', starting with a letter or digit.");
            return;
        }
        if (!TryReadResume(hello.Resume, key, out var resume))
        {
            Fail(hello.Id, ErrorCodes.InvalidField, "\"resume\" maps rooms (#name) or usernames to a seq of 0 or more.");
            return;
        }

        var account = await _server.Store.FindAccountAsync(key).ConfigureAwait(false);
        if (account is not null)
        {
            var password = hello.Password;
            var valid = password is not null
                && await PasswordWork.RunAsync(() => PasswordHasher.Verify(password, account.PasswordHash)).ConfigureAwait(false);
            if (!valid)
            {
                LogAuthFailed(display, Connection.Id, Connection.RemoteAddress);
                Fail(hello.Id, ErrorCodes.AuthFailed, $"{account.Name} is a registered name: the password is missing or wrong.");
                return;
            }
            display = account.Name;
        }
        bool claimed;
        try
        {
            claimed = await _server.Users.TryClaimAsync(key, display, this).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // in a cluster whose backplane is down, a name cannot be known to be free
            Fail(hello.Id, ErrorCodes.InternalError, "The cluster cannot check names right now (its backplane is down). Try again shortly.");
            return;
        }
        if (!claimed)
        {
            Fail(hello.Id, ErrorCodes.UsernameTaken, $"{display} is in use by someone else. Pick another name.");
            return;
        }
        User = display;
        UserKey = key;
        IsAccount = account is not null;

        // live deliveries are held from the first join until the replay is done, so that the client
        // sees welcome first, then what it missed, then what is live
        var rooms = _server.Options.AutoJoinLobby ? new List<string> { ProtocolLimits.Lobby } : [];
        AddNew(rooms, account?.Rooms);
        AddNew(rooms, resume?.Keys.Where(Names.IsRoom));
        var seqs = new Dictionary<string, long>(StringComparer.Ordinal);
        var now = Timestamps.TruncateToMilliseconds(_server.Time.GetUtcNow());
        try
        {
            foreach (var name in rooms)
            {
                seqs[name] = await EnterRoomAsync(name, now).ConfigureAwait(false);
            }
            if (account is not null && !_rooms.SetEquals(account.Rooms))
            {
                await _server.Store.SaveAccountRoomsAsync(key, _rooms).ConfigureAwait(false);
            }
            if (rooms.Count > 0)
            {
                // once welcomed, the user shows in who on every node
                await _server.Fanout.MembershipRecordedAsync().ConfigureAwait(false);
            }
        }
        catch
        {
            // a hello that fails half-way leaves nothing behind: the client may try again
            UndoHello(now);
            throw;
        }
        LogSessionStarted(display, Connection.Id, Connection.Transport, hello.Client);
        Reply(new WelcomeFrame
        {
            Id = hello.Id,
            User = display,
            Server = _server.Options.ServerName,
            Ts = now,
            Rooms = rooms,
            Seqs = seqs,
        });

        Dictionary<string, long>? replayedUpTo = null;
        try
        {
            if (resume is not null)
            {
                replayedUpTo = await ReplayAsync(resume).ConfigureAwait(false);
            }
        }
        finally
        {
            ReleaseHeld(replayedUpTo);
        }
    }

    private void UndoHello(DateTimeOffset now)
    {
        foreach (var name in _rooms)
        {
            _server.Rooms.Find(name)?.Leave(this);
            _server.Fanout.PublishPresence(name, User!, UserKey!, PresenceEvents.Quit, now);
        }
        _rooms.Clear();
        _server.Users.Release(UserKey!, this);
        lock (_deliveryLock)
        {
            _held = [];
        }
        User = UserKey = null;
        IsAccount = false;
    }

    /// <summary>Joins a room on this server and tells its members; returns the room's last seq before the join.</summary>
    private async Task<long> EnterRoomAsync(string name, DateTimeOffset now)
    {
        var room = await _server.Rooms.GetOrCreateAsync(name).ConfigureAwait(false);
        _server.Fanout.BeforeJoin(name, UserKey!);
        var lastSeq = room.Join(this) ?? room.LastSeq;
        _rooms.Add(name);
        _server.Fanout.PublishPresence(name, User!, UserKey!, PresenceEvents.Join, now);
        return lastSeq;
    }

    /// <summary>Replays, marked resumed, what came after the client's last seq in each conversation (at most 1,000 each).</summary>
    private async Task<Dictionary<string, long>> ReplayAsync(Dictionary<string, long> resume)
    {
        var replayedUpTo = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (conversation, after) in resume)
        {
            var page = await _server.Store.ReadHistoryAsync(conversation, before: null, after: after,
                ProtocolLimits.MaxResumePerConversation).ConfigureAwait(false);
            foreach (var message in page.Messages)
            {
                Connection.Enqueue(ToFrame(message, resumed: true));
            }
            replayedUpTo[conversation] = page.Messages.Count > 0 ? page.Messages[^1].Seq : after;
        }
        return replayedUpTo;
    }

    /// <summary>Reads <c>resume</c> into conversation keys; false when it names something that is not a conversation.</summary>
    private static bool TryReadResume(Dictionary<string, long>? resume, string selfKey, out Dictionary<string, long>? byConversation)
    {
        byConversation = null;
        if (resume is null)
        {
            return true;
        }
        byConversation = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, seq) in resume)
        {
            if (seq < 0)
            {
                return false;
            }
            if (Names.TryNormalizeRoom(name, out var room))
            {
                byConversation[ConversationKeys.ForRoom(room)] = seq;
            }
            else if (Names.TryNormalizeUser(name, out _, out var other))
            {
                byConversation[ConversationKeys.ForDirect(selfKey, other)] = seq;
            }
            else
            {
                return false;
            }
        }
        return true;
    }

    private static void AddNew(List<string> rooms, IEnumerable<string>? more)
    {
        foreach (var room in more ?? [])
        {
            if (!rooms.Contains(room))
            {
                rooms.Add(room);
            }
        }
    }

    private static MessageFrame ToFrame(StoredMessage message, bool resumed = false) => new()
    {
        Seq = message.Seq,
        To = message.To,
        From = message.From,
        Text = message.Text,
        Ts = message.Ts,
        Resumed = resumed ? true : null,
    };

    private async Task RegisterAsync(RegisterFrame register)
    {
        if (IsAccount)
        {
            Fail(register.Id, ErrorCodes.AlreadyRegistered, $"{User} is already registered.");
            return;
        }
        var password = register.Password!;
        if (password.EnumerateRunes().Count() < 8 || string.Equals(password, User, StringComparison.OrdinalIgnoreCase)
            || (Names.TryNormalizeUser(password, out _, out var asName) && string.Equals(asName, UserKey, StringComparison.Ordinal)))
        {
            Fail(register.Id, ErrorCodes.WeakPassword, "A password needs at least 8 characters and must not be the name itself.");
            return;
        }
        var hash = await PasswordWork.RunAsync(() => PasswordHasher.Hash(password)).ConfigureAwait(false);
        var created = await _server.Store.TryCreateAccountAsync(new Account(UserKey!, User!, hash, [.. _rooms])).ConfigureAwait(false);
        if (!created)
        {
            Fail(register.Id, ErrorCodes.AlreadyRegistered, $"{User} is already registered.");
            return;
        }
        IsAccount = true;
        LogAccountRegistered(User!, Connection.Id);
        Reply(new RegisteredFrame { Id = register.Id, User = User! });
    }
}
