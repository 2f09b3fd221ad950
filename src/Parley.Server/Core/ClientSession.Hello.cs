using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Server.Limits;
using Parley.Server.Storage;

namespace Parley.Server.Core;

public sealed partial class ClientSession
{
    /// <summary>How many direct conversations a <c>welcome</c> lists, the most recently active first (protocol 1.1).</summary>
    internal const int WelcomeDirectConversations = 200;

    // the hash of the token this session signed in with or was given: logout revokes it
    private string? _tokenHash;

    // how long a client refused for a full password queue waits: about one hash
    private const long PasswordBusyRetryMs = 500;

    /// <summary>What the limits against abuse count this connection's address as.</summary>
    private string AddressKey => _addressKey ??= Limits.AddressKey.Of(Connection.RemoteIp);

    private string? _addressKey;

    private static long RetryAfterMs(TimeSpan wait) => Math.Max(1, (long)Math.Ceiling(wait.TotalMilliseconds));

    private async Task HelloAsync(HelloFrame hello)
    {
        if (User is not null)
        {
            Fail(hello.Id, ErrorCodes.AlreadyAuthenticated, $"You are already {User}.");
            return;
        }
        if (!TryReadResume(hello.Resume, out var resumeRooms, out var resumeUsers))
        {
            Fail(hello.Id, ErrorCodes.InvalidField, "\"resume\" maps rooms (#name) or usernames to a seq of 0 or more.");
            return;
        }
        if (await IdentifyAsync(hello).ConfigureAwait(false) is not { } signIn)
        {
            return;
        }
        var (holder, account, token, cameBack) = signIn;
        bool claimed;
        try
        {
            claimed = await _server.Users.TryClaimAsync(holder, this, takeOver: cameBack).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // in a cluster whose backplane is down, a name cannot be known to be free
            Fail(hello.Id, ErrorCodes.InternalError, "The cluster cannot check names right now (its backplane is down). Try again shortly.");
            return;
        }
        if (!claimed)
        {
            Fail(hello.Id, ErrorCodes.UsernameTaken, $"{holder.Name} is in use by someone else. Pick another name.");
            return;
        }
        Holder = holder;
        User = holder.Name;
        _tokenHash = IdentityTokens.HashOf(token);

        // live deliveries are held from the first join until the replay is done, so that the client
        // sees welcome first, then what it missed, then what is live
        var rooms = _server.Options.AutoJoinLobby ? new List<string> { ProtocolLimits.Lobby } : [];
        AddNew(rooms, account?.Rooms);
        AddNew(rooms, resumeRooms.Keys);
        var seqs = new Dictionary<string, long>(StringComparer.Ordinal);
        var now = Timestamps.TruncateToMilliseconds(_server.Time.GetUtcNow());
        Dictionary<string, long> resume;
        try
        {
            foreach (var name in rooms.ToList())
            {
                try
                {
                    seqs[name] = await EnterRoomAsync(name, now).ConfigureAwait(false);
                }
                catch (RoomLooksLikeAnotherException)
                {
                    // a resume naming a new room that may not be: it is not joined
                    rooms.Remove(name);
                }
            }
            if (account is not null && !_rooms.SetEquals(account.Rooms))
            {
                await _server.Store.SaveAccountRoomsAsync(holder.Identity, _rooms).ConfigureAwait(false);
            }
            if (rooms.Count > 0)
            {
                // once welcomed, the user shows in who on every node
                await _server.Directory.RecordedAsync().ConfigureAwait(false);
            }
            if (account is not null || cameBack)
            {
                // a new guest identity has none yet
                await ListDirectConversationsAsync(seqs).ConfigureAwait(false);
            }
            resume = await ResumeKeysAsync(resumeRooms, resumeUsers).ConfigureAwait(false);
        }
        catch
        {
            // a hello that fails half-way leaves nothing behind: the client may try again
            UndoHello(now, cameBack);
            throw;
        }
        LogSessionStarted(holder.Name, Connection.Id, Connection.Transport, Diagnostics.LogText.Of(hello.Client));
        Reply(new WelcomeFrame
        {
            Id = hello.Id,
            User = holder.Name,
            Server = _server.Options.ServerName,
            Ts = now,
            Rooms = rooms,
            Seqs = seqs,
            Token = token,
        });

        Dictionary<string, long>? replayedUpTo = null;
        try
        {
            if (hello.Resume is not null)
            {
                replayedUpTo = await ReplayAsync(resume).ConfigureAwait(false);
            }
        }
        finally
        {
            ReleaseHeld(replayedUpTo);
        }
    }

    /// <summary>
    /// Who the <c>hello</c> signs in as: an account (by password or token), a guest coming back with its
    /// token, or a new guest. Refuses, with the right code, a name it may not have. A name that looks like
    /// one held or registered (its skeleton) is taken.
    /// </summary>
    private async Task<(NameHolder Holder, Account? Account, string Token, bool CameBack)?> IdentifyAsync(HelloFrame hello)
    {
        var name = hello.User!;
        Account? account;
        if (Names.TryNormalizeUser(name, out var display, out var key))
        {
            account = await _server.Store.FindAccountAsync(key).ConfigureAwait(false);
        }
        else
        {
            // a name registered before the name rules of 1.1 keeps working, even if they refuse it now
            display = name;
            account = LegacyNames.TryNormalizeUser(name, out key) ? await _server.Store.FindAccountAsync(key).ConfigureAwait(false) : null;
            if (account is null)
            {
                Fail(hello.Id, ErrorCodes.InvalidUsername,
                    "A name is 1 to 32 letters (of one script, with their marks), digits, '_', '-' or '.', starting with a letter or digit.");
                return null;
            }
        }
        var now = _server.Time.GetUtcNow();
        if (account is not null)
        {
            var holder = new NameHolder(account.Identity, account.Name, account.UserKey, account.Skeleton, null);
            if (hello.Token is { } token)
            {
                var tokenHash = IdentityTokens.HashOf(token);
                var known = await _server.Store.FindTokenAsync(tokenHash).ConfigureAwait(false);
                if (known is null || known.Identity != account.Identity || now - known.LastUsed > _server.Options.TokenLifetime)
                {
                    _server.Guessing.Failed(AddressKey, null);
                    LogAuthFailed(Diagnostics.LogText.Of(display)!, Connection.Id, Connection.RemoteAddress);
                    Fail(hello.Id, ErrorCodes.AuthFailed, $"This sign-in of {account.Name} is no longer valid. Sign in with the password.");
                    return null;
                }
                await _server.Store.TouchTokenAsync(tokenHash, now).ConfigureAwait(false);
                return (holder, account, token, true);
            }
            if (_server.Guessing.MustWait(AddressKey, account.UserKey) is { } wait)
            {
                // no hash is computed for a guesser: the wait costs the server nothing
                _server.Refusals.Refused(AddressKey, RefusalReasons.PasswordGuessing);
                Fail(hello.Id, ErrorCodes.RateLimited, $"Too many wrong passwords from here for {account.Name}. Wait, then try again.", RetryAfterMs(wait));
                return null;
            }
            var password = hello.Password;
            bool valid;
            if (password is null)
            {
                valid = false;
            }
            else if (_server.PasswordWork.TryRunAsync(() => PasswordHasher.Verify(password, account.PasswordHash)) is { } check)
            {
                valid = await check.ConfigureAwait(false);
            }
            else
            {
                _server.Refusals.Refused(AddressKey, RefusalReasons.PasswordQueueFull);
                Fail(hello.Id, ErrorCodes.RateLimited, "The server is busy checking passwords. Try again in a moment.", PasswordBusyRetryMs);
                return null;
            }
            if (!valid)
            {
                _server.Guessing.Failed(AddressKey, account.UserKey);
                LogAuthFailed(Diagnostics.LogText.Of(display)!, Connection.Id, Connection.RemoteAddress);
                Fail(hello.Id, ErrorCodes.AuthFailed, $"{account.Name} is a registered name: the password is missing or wrong.");
                return null;
            }
            var newToken = IdentityTokens.NewToken();
            await _server.Store.SaveTokenAsync(IdentityTokens.HashOf(newToken), account.Identity, now).ConfigureAwait(false);
            return (holder, account, newToken, false);
        }

        var skeleton = Names.SkeletonOf(key);
        if (await _server.Store.FindAccountBySkeletonAsync(skeleton).ConfigureAwait(false) is { } lookalike)
        {
            Fail(hello.Id, ErrorCodes.UsernameTaken, $"{display} looks like {lookalike.Name}, a registered name. Pick another name.");
            return null;
        }
        NameHolder? held;
        try
        {
            held = await _server.Users.FindAsync(skeleton).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            Fail(hello.Id, ErrorCodes.InternalError, "The cluster cannot check names right now (its backplane is down). Try again shortly.");
            return null;
        }
        if (hello.Token is { } guestToken)
        {
            // a guest coming back: only with the token of the identity that still holds the name
            if (held is not { IsGuest: true, GuestTokenHash: { } expected } || held.NameKey != key || expected != IdentityTokens.HashOf(guestToken))
            {
                _server.Guessing.Failed(AddressKey, null);
                LogAuthFailed(Diagnostics.LogText.Of(display)!, Connection.Id, Connection.RemoteAddress);
                Fail(hello.Id, ErrorCodes.AuthFailed,
                    $"The server does not know this sign-in of {display} any more (it restarted, or the guest name expired). Sign in again without it.");
                return null;
            }
            return (held, null, guestToken, true);
        }
        if (held is not null)
        {
            var taken = held.NameKey == key ? display : $"{display} looks like {held.Name}, which";
            Fail(hello.Id, ErrorCodes.UsernameTaken, $"{taken} is in use by someone else. Pick another name.");
            return null;
        }
        var newGuestToken = IdentityTokens.NewToken();
        var newGuest = new NameHolder(IdentityTokens.NewIdentity(), display, key, skeleton, IdentityTokens.HashOf(newGuestToken)) { IsGuest = true };
        return (newGuest, null, newGuestToken, false);
    }

    /// <summary>Adds to <paramref name="seqs"/> the identity's direct conversations whose other party still exists, by that party's name.</summary>
    private async Task ListDirectConversationsAsync(Dictionary<string, long> seqs)
    {
        var conversations = await _server.Store.ListDirectConversationsAsync(Identity!, WelcomeDirectConversations).ConfigureAwait(false);
        foreach (var conversation in conversations)
        {
            if (await CurrentNameOfAsync(conversation).ConfigureAwait(false) is { } other)
            {
                seqs.TryAdd(other, conversation.LastSeq);
            }
        }
    }

    // the name the other party goes by now, or null when it is a guest that is gone (or whose name a new identity holds)
    private async ValueTask<string?> CurrentNameOfAsync(DirectConversation conversation)
    {
        if (conversation.OtherIdentity == Identity)
        {
            return User;
        }
        if (conversation.OtherIsAccount)
        {
            return conversation.OtherName;
        }
        if (!Names.TryNormalizeUser(conversation.OtherName, out _, out var key))
        {
            return null;
        }
        var holder = await _server.Users.FindAsync(Names.SkeletonOf(key)).ConfigureAwait(false);
        return holder?.Identity == conversation.OtherIdentity ? holder.Name : null;
    }

    private void UndoHello(DateTimeOffset now, bool cameBack)
    {
        foreach (var name in _rooms)
        {
            _server.Rooms.Leave(name, this);
            _server.Fanout.PublishPresence(name, User!, UserKey!, PresenceEvents.Quit, now);
        }
        _rooms.Clear();
        // a guest identity made for this hello ends with it; one that came back keeps its grace period
        _server.Users.Release(this, cameBack && Holder is { IsGuest: true } ? _server.Options.GuestGrace : TimeSpan.Zero);
        lock (_deliveryLock)
        {
            _held = [];
        }
        User = null;
        Holder = null;
        _tokenHash = null;
    }

    /// <summary>Joins a room on this server and tells its members; returns the room's last seq before the join.</summary>
    private async Task<long> EnterRoomAsync(string name, DateTimeOffset now)
    {
        _server.Fanout.BeforeJoin(name, UserKey!);
        var lastSeq = await _server.Rooms.JoinAsync(name, this).ConfigureAwait(false);
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

    /// <summary>
    /// Reads <c>resume</c> into rooms (canonical) and users (as named); false when it names something that
    /// is neither or a negative seq.
    /// </summary>
    private static bool TryReadResume(Dictionary<string, long>? resume, out Dictionary<string, long> rooms, out Dictionary<string, long> users)
    {
        rooms = new Dictionary<string, long>(StringComparer.Ordinal);
        users = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, seq) in resume ?? [])
        {
            if (seq < 0)
            {
                return false;
            }
            if (Names.TryNormalizeRoom(name, out var room))
            {
                rooms[room] = seq;
            }
            else if (!Names.IsRoom(name) && (Names.TryNormalizeUser(name, out _, out _) || LegacyNames.TryNormalizeUser(name, out _)))
            {
                users[name] = seq;
            }
            else
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The conversations of <c>resume</c> by key; a user who is not there (a guest that is gone) has nothing to replay.</summary>
    private async Task<Dictionary<string, long>> ResumeKeysAsync(Dictionary<string, long> rooms, Dictionary<string, long> users)
    {
        var resume = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (room, seq) in rooms)
        {
            resume[ConversationKeys.ForRoom(room)] = seq;
        }
        foreach (var (name, seq) in users)
        {
            if (await FindPersonAsync(name).ConfigureAwait(false) is { } other)
            {
                resume[ConversationKeys.ForDirect(Identity!, other.Identity)] = seq;
            }
        }
        return resume;
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
}
