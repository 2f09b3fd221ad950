using System.Text.Json.Serialization;

namespace Parley.Protocol.Frames;

/// <summary>A frame the server sends. A reply carries the <see cref="Id"/> of the frame it answers.</summary>
public abstract class ServerFrame
{
    /// <summary>Creates a frame of the given <c>type</c>.</summary>
    protected ServerFrame(string type) => Type = type;

    /// <summary>The frame's <c>type</c>.</summary>
    [JsonPropertyOrder(-2)]
    public string Type { get; }

    /// <summary>The <c>id</c> of the client frame this answers, if it had one.</summary>
    [JsonPropertyOrder(-1)]
    public string? Id { get; set; }
}

/// <summary><c>welcome</c>: the session has started.</summary>
public sealed class WelcomeFrame : ServerFrame
{
    /// <summary>Creates an empty frame.</summary>
    public WelcomeFrame() : base(FrameTypes.Welcome) { }
    /// <summary>The name as the server holds it (NFC).</summary>
    public string User { get; set; } = "";
    /// <summary>The server's name and version.</summary>
    public string Server { get; set; } = "";
    /// <summary>The server's time.</summary>
    [JsonConverter(typeof(TimestampJsonConverter))]
    public DateTimeOffset Ts { get; set; }
    /// <summary>The rooms the user is a member of.</summary>
    public List<string> Rooms { get; set; } = [];
    /// <summary>
    /// Parley extension beyond protocol v1: for each room in <see cref="Rooms"/>, its last <c>seq</c> at the
    /// moment of the welcome (0 for an empty room). A client takes it as the baseline for rooms it has
    /// seen nothing of yet. Absent from servers that do not send it.
    /// </summary>
    public Dictionary<string, long>? Seqs { get; set; }
    /// <summary>
    /// Protocol 1.1: the identity token, which a later <c>hello</c> may give instead of a password. Opaque;
    /// the server keeps only its hash.
    /// </summary>
    public string? Token { get; set; }
}

/// <summary><c>ack</c>: a <c>send</c> is sequenced and stored durably.</summary>
public sealed class AckFrame : ServerFrame
{
    /// <summary>Creates an empty frame.</summary>
    public AckFrame() : base(FrameTypes.Ack) { }
    /// <summary>The message's place in its conversation.</summary>
    public long Seq { get; set; }
    /// <summary>When the server sequenced it.</summary>
    [JsonConverter(typeof(TimestampJsonConverter))]
    public DateTimeOffset Ts { get; set; }
}

/// <summary><c>message</c>: a message of a conversation.</summary>
public sealed class MessageFrame : ServerFrame
{
    /// <summary>Creates an empty frame.</summary>
    public MessageFrame() : base(FrameTypes.Message) { }
    /// <summary>The message's place in its conversation, from 1, without gaps.</summary>
    public long Seq { get; set; }
    /// <summary>The room, or for a direct message the recipient's name.</summary>
    public string To { get; set; } = "";
    /// <summary>The sender's name.</summary>
    public string From { get; set; } = "";
    /// <summary>The text.</summary>
    public string Text { get; set; } = "";
    /// <summary>When the server sequenced it.</summary>
    [JsonConverter(typeof(TimestampJsonConverter))]
    public DateTimeOffset Ts { get; set; }
    /// <summary>True when replayed by <c>resume</c>; absent otherwise.</summary>
    public bool? Resumed { get; set; }

    /// <summary>The conversation as <paramref name="self"/> names it: the room, or the other party.</summary>
    public string ConversationFor(string self) =>
        Names.IsRoom(To) ? To : string.Equals(Key(From), Key(self), StringComparison.Ordinal) ? To : From;

    private static string Key(string name) => Names.TryNormalizeUser(name, out _, out var key) ? key : name;
}

/// <summary><c>presence</c>: someone joined, left or quit a room.</summary>
public sealed class PresenceFrame : ServerFrame
{
    /// <summary>Creates an empty frame.</summary>
    public PresenceFrame() : base(FrameTypes.Presence) { }
    /// <summary>The room.</summary>
    public string Room { get; set; } = "";
    /// <summary>Who.</summary>
    public string User { get; set; } = "";
    /// <summary><c>join</c>, <c>leave</c> or <c>quit</c>.</summary>
    public string Event { get; set; } = "";
    /// <summary>When.</summary>
    [JsonConverter(typeof(TimestampJsonConverter))]
    public DateTimeOffset Ts { get; set; }
}

/// <summary>The values of <see cref="PresenceFrame.Event"/>.</summary>
public static class PresenceEvents
{
    /// <summary>The user joined the room.</summary>
    public const string Join = "join";
    /// <summary>The user left the room.</summary>
    public const string Leave = "leave";
    /// <summary>The user's connection ended.</summary>
    public const string Quit = "quit";
}

/// <summary><c>joined</c>: the reply to <c>join</c>.</summary>
public sealed class JoinedFrame : ServerFrame
{
    /// <summary>Creates an empty frame.</summary>
    public JoinedFrame() : base(FrameTypes.Joined) { }
    /// <summary>The room, in canonical form.</summary>
    public string Room { get; set; } = "";
    /// <summary>The members online now.</summary>
    public List<string> Users { get; set; } = [];
    /// <summary>
    /// Parley extension beyond protocol v1: the room's last <c>seq</c> at the moment of joining (0 for an
    /// empty room). A client takes it as the baseline for resuming the room. Absent from servers that do
    /// not send it.
    /// </summary>
    public long? Seq { get; set; }
}

/// <summary><c>left</c>: the reply to <c>leave</c>.</summary>
public sealed class LeftFrame : ServerFrame
{
    /// <summary>Creates an empty frame.</summary>
    public LeftFrame() : base(FrameTypes.Left) { }
    /// <summary>The room, in canonical form.</summary>
    public string Room { get; set; } = "";
}

/// <summary><c>history</c>: a page of a conversation, oldest first.</summary>
public sealed class HistoryFrame : ServerFrame
{
    /// <summary>Creates an empty frame.</summary>
    public HistoryFrame() : base(FrameTypes.History) { }
    /// <summary>The conversation as the requester named it (rooms in canonical form).</summary>
    public string To { get; set; } = "";
    /// <summary>The messages, oldest first.</summary>
    public List<MessageFrame> Messages { get; set; } = [];
    /// <summary>Whether more messages exist in the paging direction.</summary>
    public bool More { get; set; }
}

/// <summary><c>who</c>: the members of a room online.</summary>
public sealed class WhoFrame : ServerFrame
{
    /// <summary>Creates an empty frame.</summary>
    public WhoFrame() : base(FrameTypes.Who) { }
    /// <summary>The room, in canonical form.</summary>
    public string Room { get; set; } = "";
    /// <summary>The members online.</summary>
    public List<string> Users { get; set; } = [];
}

/// <summary><c>rooms</c>: every room with a member online, and <c>#lobby</c>.</summary>
public sealed class RoomsFrame : ServerFrame
{
    /// <summary>Creates an empty frame.</summary>
    public RoomsFrame() : base(FrameTypes.Rooms) { }
    /// <summary>The rooms.</summary>
    public List<RoomSummary> Rooms { get; set; } = [];
}

/// <summary>One entry of a <c>rooms</c> reply.</summary>
public sealed class RoomSummary
{
    /// <summary>The room, in canonical form.</summary>
    public string Room { get; set; } = "";
    /// <summary>How many members are online.</summary>
    public int Members { get; set; }
}

/// <summary><c>registered</c>: the name is now an account.</summary>
public sealed class RegisteredFrame : ServerFrame
{
    /// <summary>Creates an empty frame.</summary>
    public RegisteredFrame() : base(FrameTypes.Registered) { }
    /// <summary>The account's name.</summary>
    public string User { get; set; } = "";
    /// <summary>Protocol 1.1: the account's new identity token (the guest's is no longer valid).</summary>
    public string? Token { get; set; }
}

/// <summary>Protocol 1.1 <c>ok</c>: a request that has no reply of its own succeeded.</summary>
public sealed class OkFrame : ServerFrame
{
    /// <summary>Creates an empty frame.</summary>
    public OkFrame() : base(FrameTypes.Ok) { }
}

/// <summary><c>pong</c>: the reply to <c>ping</c>.</summary>
public sealed class PongFrame : ServerFrame
{
    /// <summary>Creates an empty frame.</summary>
    public PongFrame() : base(FrameTypes.Pong) { }
}

/// <summary><c>error</c>: a refusal.</summary>
public sealed class ErrorFrame : ServerFrame
{
    /// <summary>Creates an empty frame.</summary>
    public ErrorFrame() : base(FrameTypes.Error) { }
    /// <summary>One of <see cref="ErrorCodes"/>.</summary>
    public string Code { get; set; } = "";
    /// <summary>A sentence for a person.</summary>
    public string Message { get; set; } = "";
    /// <summary>With <c>rate_limited</c>: the wait until the next send may pass.</summary>
    public long? RetryAfterMs { get; set; }
}
