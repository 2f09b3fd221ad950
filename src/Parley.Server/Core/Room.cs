namespace Parley.Server.Core;

/// <summary>
/// A room's members connected to this server, and the last <c>seq</c> handed to them.
/// </summary>
/// <remarks>
/// Members are a copy-on-write array so that delivery reads them without a lock. Joining and
/// delivering take the same lock around the member list and <see cref="LastSeq"/>, so a joiner
/// learns exactly which messages it will receive: those after the <c>seq</c> that
/// <see cref="Join"/> returns.
/// </remarks>
public sealed class Room
{
    private readonly Lock _lock = new();
    private ClientSession[] _members = [];
    private long _lastSeq;
    // set once the room was freed (no member, and no message or released when idle): a join that still holds it gets it again
    private bool _retired;
    private readonly bool _releasedWhenIdle;

    /// <summary>
    /// Creates a room whose conversation has reached <paramref name="lastSeq"/>; <paramref name="releasedWhenIdle"/>:
    /// freed when its last member here leaves even if it has messages.
    /// </summary>
    public Room(string name, long lastSeq, bool releasedWhenIdle = false)
    {
        Name = name;
        _lastSeq = lastSeq;
        _releasedWhenIdle = releasedWhenIdle;
    }

    /// <summary>The canonical name, <c>#name</c>.</summary>
    public string Name { get; }

    /// <summary>The members online on this server.</summary>
    public ClientSession[] Members => Volatile.Read(ref _members);

    /// <summary>The last seq delivered in this room.</summary>
    public long LastSeq
    {
        get
        {
            lock (_lock)
            {
                return _lastSeq;
            }
        }
    }

    /// <summary>
    /// Adds a member (or finds it is one); returns the last seq delivered before it joined, or null when the
    /// room was freed meanwhile: the joiner gets the room again from the registry.
    /// </summary>
    internal long? Join(ClientSession session)
    {
        lock (_lock)
        {
            if (_retired)
            {
                return null;
            }
            if (Array.IndexOf(_members, session) < 0)
            {
                _members = [.. _members, session];
            }
            return _lastSeq;
        }
    }

    /// <summary>
    /// Removes a member. <paramref name="retired"/> is true when that left the room with no member and no
    /// message (or none at all, for a room released when idle): it is freed, and nobody can join this object any more.
    /// </summary>
    internal bool Leave(ClientSession session, out bool retired)
    {
        lock (_lock)
        {
            retired = false;
            var index = Array.IndexOf(_members, session);
            if (index < 0)
            {
                return false;
            }
            var members = new ClientSession[_members.Length - 1];
            Array.Copy(_members, 0, members, 0, index);
            Array.Copy(_members, index + 1, members, index, _members.Length - index - 1);
            _members = members;
            retired = _retired = members.Length == 0 && (_lastSeq == 0 || _releasedWhenIdle);
            return true;
        }
    }

    /// <summary>Records <paramref name="seq"/> as delivered and returns the members to deliver it to.</summary>
    public ClientSession[] Advance(long seq)
    {
        lock (_lock)
        {
            if (seq > _lastSeq)
            {
                _lastSeq = seq;
            }
            return _members;
        }
    }
}
