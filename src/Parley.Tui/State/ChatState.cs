using Parley.Client;
using Parley.Protocol;
using Parley.Protocol.Frames;

namespace Parley.Tui.State;

/// <summary>
/// Everything the chat window shows, without a screen: the conversations (rooms and direct messages) with
/// their lines and unread counts, the one shown, the members of rooms, and the connection.
/// </summary>
/// <remarks>
/// Not thread-safe: every call comes from one thread (the UI thread in the window, under a lock in plain
/// mode). <see cref="Changed"/> is raised after each change, <see cref="LineAdded"/> for each new line.
/// </remarks>
internal sealed class ChatState
{
    private readonly List<Conversation> _conversations = [];
    private readonly Dictionary<string, Conversation> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<long>> _seen = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates the state of a user not yet connected.</summary>
    public ChatState(string self, string server, TimeProvider? time = null)
    {
        Self = self;
        _time = time ?? TimeProvider.System;
        Status = new ConnectionStatus(ParleyClientState.Offline, server);
    }

    /// <summary>Raised after any change.</summary>
    public event Action? Changed;

    /// <summary>Raised for each line added to any conversation.</summary>
    public event Action<ChatLine>? LineAdded;

    /// <summary>Raised when an own message is acknowledged or refused.</summary>
    public event Action<ChatLine>? LineUpdated;

    /// <summary>One's own name, as the server holds it.</summary>
    public string Self { get; private set; }

    /// <summary>The conversations, in the order they began.</summary>
    public IReadOnlyList<Conversation> Conversations => _conversations;

    /// <summary>The conversation shown, if any.</summary>
    public Conversation? Current { get; private set; }

    /// <summary>The connection.</summary>
    public ConnectionStatus Status { get; private set; }

    /// <summary>The conversation with this name, if there is one.</summary>
    public Conversation? Find(string name) => _byKey.GetValueOrDefault(Key(name));

    /// <summary>
    /// A welcome, the first or after a reconnect: one's name, the rooms one is in, and the direct
    /// conversations with their newest seq. A direct conversation new to this client opens with its messages
    /// unread (a message that came while one was away shows at once); one listed below what was seen of it
    /// is with a new person under that name and starts afresh. A new identity (<paramref name="isNewIdentity"/>:
    /// the server no longer knew this guest) has none of the direct conversations of before. The first room
    /// is shown if nothing is. Returns the direct conversations opened afresh, whose history is worth reading.
    /// </summary>
    public IReadOnlyList<string> OnWelcome(WelcomeFrame welcome, bool isNewIdentity = false)
    {
        ArgumentNullException.ThrowIfNull(welcome);
        Self = welcome.User;
        if (isNewIdentity)
        {
            foreach (var direct in _conversations.Where(c => !c.IsRoom).ToList())
            {
                Forget(direct);
            }
        }
        foreach (var room in welcome.Rooms)
        {
            Open(room).Left = false;
        }
        var fresh = new List<string>();
        foreach (var (name, seq) in welcome.Seqs ?? [])
        {
            if (Names.IsRoom(name))
            {
                continue;
            }
            var known = Find(name);
            if (known is not null && _seen.TryGetValue(Key(name), out var seqs) && seqs.Count > 0 && seqs.Max > seq)
            {
                known.Clear();
                seqs.Clear();
            }
            else if (known is not null)
            {
                continue;
            }
            var conversation = known ?? Open(name);
            conversation.CountUnread((int)Math.Min(seq, int.MaxValue));
            fresh.Add(conversation.Name);
        }
        Current ??= _conversations.FirstOrDefault();
        Current?.MarkRead();
        RaiseChanged();
        return fresh;
    }

    /// <summary>Earlier messages of a conversation (a page of history): shown, not counted as unread.</summary>
    public void OnHistory(HistoryFrame history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var conversation = Open(history.To);
        foreach (var message in history.Messages)
        {
            if (!SeenBefore(conversation, message.Seq))
            {
                AddLine(ChatLine.Received(conversation.Name, message.From, message.Text, message.Ts, message.Seq));
            }
        }
    }

    /// <summary>A room was joined: it opens, with its members, and is shown.</summary>
    public void OnJoined(JoinedFrame joined)
    {
        ArgumentNullException.ThrowIfNull(joined);
        var room = Open(joined.Room);
        room.Left = false;
        room.SetMembers(joined.Users);
        Select(room);
        AddLine(ChatLine.Notice(room.Name, $"joined {room.Name}: {string.Join(", ", joined.Users)}", _time.GetUtcNow()));
    }

    /// <summary>A room was left: it stays readable, and another conversation is shown.</summary>
    public void OnLeft(string roomName)
    {
        var room = Open(roomName);
        room.Left = true;
        room.SetMembers([]);
        AddLine(ChatLine.Notice(room.Name, $"left {room.Name}", _time.GetUtcNow()));
        if (ReferenceEquals(room, Current))
        {
            Select(_conversations.FirstOrDefault(c => !c.Left) ?? room);
        }
        RaiseChanged();
    }

    /// <summary>
    /// A message from someone else. A message already shown (same conversation and seq) is ignored, so that
    /// nothing appears twice. Counts as unread unless its conversation is shown.
    /// </summary>
    public void OnMessage(MessageFrame message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var conversation = Open(message.ConversationFor(Self));
        if (!SeenBefore(conversation, message.Seq))
        {
            if (!ReferenceEquals(conversation, Current))
            {
                conversation.CountUnread();
            }
            AddLine(ChatLine.Received(conversation.Name, message.From, message.Text, message.Ts, message.Seq));
        }
    }

    /// <summary>Someone joined, left or quit a room.</summary>
    public void OnPresence(PresenceFrame presence)
    {
        ArgumentNullException.ThrowIfNull(presence);
        if (Find(presence.Room) is not { } room)
        {
            return;
        }
        if (presence.Event == PresenceEvents.Join)
        {
            room.AddMember(presence.User);
        }
        else
        {
            room.RemoveMember(presence.User);
        }
        var verb = presence.Event switch { PresenceEvents.Join => "joined", PresenceEvents.Leave => "left", _ => "quit" };
        AddLine(ChatLine.Notice(room.Name, $"{presence.User} {verb}", presence.Ts, NoticeKind.Presence));
    }

    /// <summary>The members of a room, fetched without being asked for (after the welcome).</summary>
    public void SetMembers(string roomName, IEnumerable<string> users)
    {
        if (Find(roomName) is { } room)
        {
            room.SetMembers(users);
            RaiseChanged();
        }
    }

    /// <summary>The answer to <c>who</c>: the members now.</summary>
    public void OnWho(WhoFrame who)
    {
        ArgumentNullException.ThrowIfNull(who);
        var room = Find(who.Room);
        room?.SetMembers(who.Users);
        AddLine(ChatLine.Notice(room?.Name ?? Current?.Name ?? who.Room, $"in {who.Room}: {string.Join(", ", who.Users)}", _time.GetUtcNow()));
    }

    /// <summary>One's own message, sent: shown as pending in its conversation (opened if new).</summary>
    public void AddPending(ChatLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        AddLine(line);
    }

    /// <summary>The ack of an own message came.</summary>
    public void OnAcknowledged(ChatLine line, AckFrame ack)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(ack);
        line.MarkDelivered(ack.Seq, ack.Ts);
        if (Find(line.Conversation) is { } conversation)
        {
            SeenBefore(conversation, ack.Seq);
        }
        LineUpdated?.Invoke(line);
        RaiseChanged();
    }

    /// <summary>An own message was refused, or could not be sent.</summary>
    public void OnRefused(ChatLine line, string reason)
    {
        ArgumentNullException.ThrowIfNull(line);
        line.MarkRefused(reason);
        LineUpdated?.Invoke(line);
        RaiseChanged();
    }

    /// <summary>A refused message is being sent again.</summary>
    public void OnRetrying(ChatLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        line.MarkPending();
        RaiseChanged();
    }

    /// <summary>A line of the client's own in the conversation shown (or in <paramref name="conversationName"/>).</summary>
    public void Notice(string text, NoticeKind kind = NoticeKind.Info, string? conversationName = null)
    {
        var name = conversationName ?? Current?.Name ?? "";
        AddLine(ChatLine.Notice(name, text, _time.GetUtcNow(), kind));
    }

    /// <summary>Opens the direct conversation with a user (if new) and shows it.</summary>
    public Conversation OpenDirect(string user)
    {
        var conversation = Open(user);
        Select(conversation);
        return conversation;
    }

    /// <summary>Shows a conversation: its unread count goes to zero.</summary>
    public void Select(Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        Current = conversation;
        conversation.MarkRead();
        RaiseChanged();
    }

    /// <summary>The connection changed.</summary>
    public void OnConnection(ConnectionStatus status)
    {
        Status = status;
        RaiseChanged();
    }

    private void Forget(Conversation conversation)
    {
        var key = Key(conversation.Name);
        _byKey.Remove(key);
        _seen.Remove(key);
        _conversations.Remove(conversation);
        if (ReferenceEquals(Current, conversation))
        {
            Current = null;
        }
    }

    private Conversation Open(string name)
    {
        var key = Key(name);
        if (!_byKey.TryGetValue(key, out var conversation))
        {
            conversation = new Conversation(name);
            _byKey.Add(key, conversation);
            _conversations.Add(conversation);
        }
        return conversation;
    }

    private bool SeenBefore(Conversation conversation, long seq)
    {
        var key = Key(conversation.Name);
        if (!_seen.TryGetValue(key, out var seqs))
        {
            _seen[key] = seqs = [];
        }
        return !seqs.Add(seq);
    }

    private void AddLine(ChatLine line)
    {
        // a notice before any conversation exists is told, not kept
        if (line.Conversation.Length > 0)
        {
            Open(line.Conversation).Add(line);
        }
        LineAdded?.Invoke(line);
        RaiseChanged();
    }

    private void RaiseChanged() => Changed?.Invoke();

    /// <summary>Rooms and names compare as the server compares them (Unicode case folding).</summary>
    private static string Key(string name)
    {
        if (Names.IsRoom(name))
        {
            return Names.TryNormalizeRoom(name, out var room) ? room : name;
        }
        return Names.TryNormalizeUser(name, out _, out var key) ? key : name;
    }
}
