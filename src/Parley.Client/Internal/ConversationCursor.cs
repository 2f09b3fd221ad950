using Parley.Protocol;
using Parley.Protocol.Frames;

namespace Parley.Client.Internal;

/// <summary>
/// The bookkeeping behind "nothing lost, nothing twice" across reconnects: the last <c>seq</c> seen in each
/// conversation, the rooms joined, and the <c>resume</c> object of the next <c>hello</c>.
/// Not thread-safe: the client holds its lock.
/// </summary>
/// <remarks>
/// <para>A conversation is a room (<c>#name</c>) or, for direct messages, the other party's name; both are
/// compared the way the server compares them (rooms case-insensitively, users by their name key).</para>
/// <para>The last seen <c>seq</c> only ever grows. An incoming message at or below it is a repeat and is
/// dropped. A room seen nothing of yet takes its baseline from <c>welcome.seqs</c> or <c>joined.seq</c> (the
/// room's last seq when the user came in), so that resuming it does not replay what came before.</para>
/// <para>The user's own messages are confirmed by their <c>ack</c> (protocol guarantee 4), never by a
/// <c>message</c>. An acked seq moves the cursor on as soon as every seq below it has been seen; until then it
/// waits in a small set. A replayed message of the user's own is counted but not delivered.</para>
/// </remarks>
internal sealed class ConversationCursor
{
    private readonly Dictionary<string, Conversation> _conversations = new(StringComparer.Ordinal);
    private readonly HashSet<string> _joinedRooms = new(StringComparer.Ordinal);
    private string _self;
    private string _selfKey;

    public ConversationCursor(string self)
    {
        _self = self;
        _selfKey = UserKey(self);
    }

    /// <summary>The user's name as the server holds it, from the last <c>welcome</c>.</summary>
    public string Self => _self;

    /// <summary>The rooms joined, in canonical form.</summary>
    public IReadOnlyCollection<string> JoinedRooms => [.. _joinedRooms];

    /// <summary>The last seq seen in a conversation, or null when nothing is known of it.</summary>
    public long? LastSeen(string conversation) =>
        _conversations.TryGetValue(KeyOf(conversation), out var c) ? c.Last : null;

    /// <summary>
    /// A session started: the rooms in <c>welcome.rooms</c> are the rooms joined now. A room that was not
    /// joined before takes its baseline from <c>welcome.seqs</c>; a room resumed keeps its own cursor (the
    /// replay that follows the welcome brings it up to date). A direct conversation the welcome lists below
    /// what was seen of it is with someone else now (a guest gone, a new one under the name): it starts
    /// afresh; and a new identity (<paramref name="isNewIdentity"/>) has none of the direct conversations of before.
    /// </summary>
    public void OnWelcome(WelcomeFrame welcome, bool isNewIdentity = false)
    {
        _self = welcome.User;
        _selfKey = UserKey(welcome.User);
        var listed = (welcome.Seqs ?? []).ToDictionary(s => KeyOf(s.Key), s => s.Value, StringComparer.Ordinal);
        foreach (var (key, conversation) in _conversations.ToList())
        {
            if (!Names.IsRoom(key) && (isNewIdentity || (listed.TryGetValue(key, out var newest) && conversation.Last > newest)))
            {
                _conversations.Remove(key);
            }
        }
        var rooms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var room in welcome.Rooms)
        {
            var key = KeyOf(room);
            rooms.Add(key);
            if (!_joinedRooms.Contains(key))
            {
                TakeBaseline(room, welcome.Seqs is { } seqs && seqs.TryGetValue(room, out var seq) ? seq : null);
            }
        }
        _joinedRooms.Clear();
        _joinedRooms.UnionWith(rooms);
    }

    /// <summary>The user joined a room; <paramref name="seq"/> is <c>joined.seq</c> when the server sent it.</summary>
    public void OnJoined(string room, long? seq)
    {
        var key = KeyOf(room);
        if (_joinedRooms.Add(key))
        {
            TakeBaseline(room, seq);
        }
    }

    /// <summary>The user left a room. Its cursor is kept, so that joining again never moves it back.</summary>
    public void OnLeft(string room) => _joinedRooms.Remove(KeyOf(room));

    /// <summary>A send to <paramref name="to"/> was acknowledged with <paramref name="seq"/>.</summary>
    public void OnAcknowledged(string to, long seq)
    {
        var conversation = GetOrAdd(to);
        if (conversation.Last is long last && seq <= last)
        {
            return;
        }
        conversation.Own.Add(seq);
        conversation.CatchUp();
    }

    /// <summary>
    /// Counts an incoming message. True when it is to be delivered: not seen before, and not the user's own.
    /// </summary>
    public bool Accept(MessageFrame message)
    {
        var conversation = GetOrAdd(message.ConversationFor(_self));
        if (conversation.Last is long last && message.Seq <= last)
        {
            return false;
        }
        conversation.MoveTo(message.Seq);
        return !string.Equals(UserKey(message.From), _selfKey, StringComparison.Ordinal);
    }

    /// <summary>
    /// The <c>resume</c> of the next <c>hello</c>: every joined room and every direct conversation, each with
    /// the last seq seen. A conversation known only by the user's own acked messages resumes from just
    /// before the first of them; a joined room with no baseline at all (a server without the Parley
    /// extensions) from 0.
    /// </summary>
    public Dictionary<string, long> BuildResume()
    {
        var resume = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, conversation) in _conversations)
        {
            var isRoom = Names.IsRoom(key);
            if (isRoom && !_joinedRooms.Contains(key))
            {
                continue;
            }
            if (conversation.ResumeFrom is long from)
            {
                resume[conversation.Name] = from;
            }
        }
        foreach (var room in _joinedRooms)
        {
            resume.TryAdd(room, 0);
        }
        return resume;
    }

    private void TakeBaseline(string room, long? seq)
    {
        if (seq is long baseline)
        {
            GetOrAdd(room).MoveTo(baseline);
        }
    }

    private Conversation GetOrAdd(string name)
    {
        var key = KeyOf(name);
        if (!_conversations.TryGetValue(key, out var conversation))
        {
            conversation = new Conversation(Names.IsRoom(key) ? key : name);
            _conversations.Add(key, conversation);
        }
        return conversation;
    }

    private static string KeyOf(string conversation) =>
        Names.IsRoom(conversation)
            ? Names.TryNormalizeRoom(conversation, out var room) ? room : conversation
            : UserKey(conversation);

    private static string UserKey(string user) => Names.TryNormalizeUser(user, out _, out var key) ? key : user;

    private sealed class Conversation(string name)
    {
        /// <summary>The name to resume it by: the canonical room, or the other party's name as first seen.</summary>
        public string Name { get; } = name;

        /// <summary>The last seq seen; every seq at or below it has been seen or is not the user's to see.</summary>
        public long? Last { get; private set; }

        /// <summary>The user's own acked seqs above <see cref="Last"/>, waiting for the seqs below them.</summary>
        public SortedSet<long> Own { get; } = [];

        public long? ResumeFrom => Last ?? (Own.Count > 0 ? Own.Min - 1 : null);

        public void MoveTo(long seq)
        {
            if (Last is null || seq > Last)
            {
                Last = seq;
            }
            CatchUp();
        }

        public void CatchUp()
        {
            if (Last is not long last)
            {
                return;
            }
            Own.RemoveWhere(seq => seq <= last);
            while (Own.Remove(last + 1))
            {
                last++;
            }
            Last = last;
        }
    }
}
