using System.Text.Json.Serialization;

namespace Parley.Protocol.Frames;

/// <summary>A frame a client sends. Every frame may carry an <see cref="Id"/> that the reply repeats.</summary>
public abstract class ClientFrame
{
    /// <summary>Creates a frame of the given <c>type</c>.</summary>
    protected ClientFrame(string type) => Type = type;

    /// <summary>The frame's <c>type</c>.</summary>
    [JsonPropertyOrder(-2)]
    public string Type { get; }

    /// <summary>Chosen by the client (1 to 64 characters); the reply to this frame carries it back.</summary>
    [JsonPropertyOrder(-1)]
    public string? Id { get; set; }

    /// <summary>The name of the first required field that is absent, or null when all are present.</summary>
    public virtual string? FirstMissingField() => null;
}

/// <summary><c>hello</c>: claim a name. Must be the first frame.</summary>
public sealed class HelloFrame : ClientFrame
{
    /// <summary>Creates an empty frame.</summary>
    public HelloFrame() : base(FrameTypes.Hello) { }
    /// <summary>The username to claim.</summary>
    public string? User { get; set; }
    /// <summary>The account's password, for a registered name.</summary>
    public string? Password { get; set; }
    /// <summary>
    /// Protocol 1.1: an identity token from an earlier <c>welcome</c> or <c>registered</c>: signs in as that
    /// identity without a password (a guest gets its name and conversations back).
    /// </summary>
    public string? Token { get; set; }
    /// <summary>The client's name and version, for logs.</summary>
    public string? Client { get; set; }
    /// <summary>Conversation to last <c>seq</c> seen: the server replays what came after.</summary>
    public Dictionary<string, long>? Resume { get; set; }
    /// <inheritdoc />
    public override string? FirstMissingField() => User is null ? "user" : null;
}

/// <summary><c>register</c>: make the current name an account protected by a password.</summary>
public sealed class RegisterFrame : ClientFrame
{
    /// <summary>Creates an empty frame.</summary>
    public RegisterFrame() : base(FrameTypes.Register) { }
    /// <summary>The new password.</summary>
    public string? Password { get; set; }
    /// <inheritdoc />
    public override string? FirstMissingField() => Password is null ? "password" : null;
}

/// <summary><c>send</c>: a message to a room (<c>#name</c>) or a user.</summary>
public sealed class SendFrame : ClientFrame
{
    /// <summary>Creates an empty frame.</summary>
    public SendFrame() : base(FrameTypes.Send) { }
    /// <summary>The conversation: <c>#room</c> or a username.</summary>
    public string? To { get; set; }
    /// <summary>The message text.</summary>
    public string? Text { get; set; }
    /// <inheritdoc />
    public override string? FirstMissingField() => Id is null ? "id" : To is null ? "to" : Text is null ? "text" : null;
}

/// <summary><c>join</c>: become a member of a room, creating it if needed.</summary>
public sealed class JoinFrame : ClientFrame
{
    /// <summary>Creates an empty frame.</summary>
    public JoinFrame() : base(FrameTypes.Join) { }
    /// <summary>The room, <c>#name</c>.</summary>
    public string? Room { get; set; }
    /// <inheritdoc />
    public override string? FirstMissingField() => Room is null ? "room" : null;
}

/// <summary><c>leave</c>: stop being a member of a room.</summary>
public sealed class LeaveFrame : ClientFrame
{
    /// <summary>Creates an empty frame.</summary>
    public LeaveFrame() : base(FrameTypes.Leave) { }
    /// <summary>The room, <c>#name</c>.</summary>
    public string? Room { get; set; }
    /// <inheritdoc />
    public override string? FirstMissingField() => Room is null ? "room" : null;
}

/// <summary><c>history</c>: a page of a conversation's messages.</summary>
public sealed class HistoryRequestFrame : ClientFrame
{
    /// <summary>Creates an empty frame.</summary>
    public HistoryRequestFrame() : base(FrameTypes.History) { }
    /// <summary>The conversation: <c>#room</c> or a username.</summary>
    public string? To { get; set; }
    /// <summary>Only messages with a lower <c>seq</c>.</summary>
    public long? Before { get; set; }
    /// <summary>Page forward from this <c>seq</c>.</summary>
    public long? After { get; set; }
    /// <summary>Page size: default 50, at most 500.</summary>
    public int? Limit { get; set; }
    /// <inheritdoc />
    public override string? FirstMissingField() => To is null ? "to" : null;
}

/// <summary><c>who</c>: the members of a room online.</summary>
public sealed class WhoRequestFrame : ClientFrame
{
    /// <summary>Creates an empty frame.</summary>
    public WhoRequestFrame() : base(FrameTypes.Who) { }
    /// <summary>The room, <c>#name</c>.</summary>
    public string? Room { get; set; }
    /// <inheritdoc />
    public override string? FirstMissingField() => Room is null ? "room" : null;
}

/// <summary><c>rooms</c>: the rooms with members online.</summary>
public sealed class RoomsRequestFrame : ClientFrame
{
    /// <summary>Creates an empty frame.</summary>
    public RoomsRequestFrame() : base(FrameTypes.Rooms) { }
}

/// <summary><c>ping</c>: keeps the connection alive; answered by <c>pong</c>.</summary>
public sealed class PingFrame : ClientFrame
{
    /// <summary>Creates an empty frame.</summary>
    public PingFrame() : base(FrameTypes.Ping) { }
}

/// <summary><c>quit</c>: the server flushes what it owes, then closes.</summary>
public sealed class QuitFrame : ClientFrame
{
    /// <summary>Creates an empty frame.</summary>
    public QuitFrame() : base(FrameTypes.Quit) { }
    /// <summary>Why, for logs.</summary>
    public string? Reason { get; set; }
}

/// <summary>Protocol 1.1 <c>logout</c>: revokes the token of this session; answered by <c>ok</c>.</summary>
public sealed class LogoutFrame : ClientFrame
{
    /// <summary>Creates an empty frame.</summary>
    public LogoutFrame() : base(FrameTypes.Logout) { }
}
