using Parley.Protocol;

namespace Parley.Tui.State;

/// <summary>A room (<c>#name</c>) or a direct conversation with another user: its lines, unread count and members.</summary>
internal sealed class Conversation
{
    private readonly List<ChatLine> _lines = [];
    private readonly SortedSet<string> _members = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a conversation.</summary>
    public Conversation(string name) => Name = name;

    /// <summary><c>#room</c> or the other user's name.</summary>
    public string Name { get; }

    /// <summary>True for a room, false for direct messages.</summary>
    public bool IsRoom => Names.IsRoom(Name);

    /// <summary>Messages from others that arrived while the conversation was not the one shown.</summary>
    public int Unread { get; private set; }

    /// <summary>For a room one has left: kept for reading, no longer a place to send.</summary>
    public bool Left { get; set; }

    /// <summary>The lines, oldest first.</summary>
    public IReadOnlyList<ChatLine> Lines => _lines;

    /// <summary>The members online (rooms only), sorted.</summary>
    public IReadOnlyCollection<string> Members => _members;

    /// <summary>Adds a line at the end.</summary>
    public void Add(ChatLine line) => _lines.Add(line);

    /// <summary>Counts one more unread message.</summary>
    public void CountUnread() => Unread++;

    /// <summary>Counts <paramref name="count"/> messages unread that this client has not seen yet (from a welcome).</summary>
    public void CountUnread(int count) => Unread += count;

    /// <summary>Forgets every line: the conversation is with someone else now (a new person under the name).</summary>
    public void Clear()
    {
        _lines.Clear();
        Unread = 0;
    }

    /// <summary>The conversation is shown: nothing is unread.</summary>
    public void MarkRead() => Unread = 0;

    /// <summary>Replaces the member list.</summary>
    public void SetMembers(IEnumerable<string> members)
    {
        _members.Clear();
        _members.UnionWith(members);
    }

    /// <summary>Someone joined.</summary>
    public void AddMember(string user) => _members.Add(user);

    /// <summary>Someone left or quit.</summary>
    public void RemoveMember(string user) => _members.Remove(user);

    /// <summary>The entry in the conversation list: the name and, when there is any, the unread count.</summary>
    public string Label => Unread > 0 ? $"{Name} ({Unread})" : Left ? $"{Name} (left)" : Name;
}
