namespace Parley.Protocol;

/// <summary>The <c>code</c> values of an <c>error</c> frame (protocol v1, "Error codes").</summary>
public static class ErrorCodes
{
    /// <summary>Not JSON, not an object, or no string <c>type</c>. The connection stays open.</summary>
    public const string BadFrame = "bad_frame";
    /// <summary>A frame over the frame limit. The connection is closed.</summary>
    public const string FrameTooLarge = "frame_too_large";
    /// <summary>A <c>type</c> this server does not know.</summary>
    public const string UnknownType = "unknown_type";
    /// <summary>A required field is absent.</summary>
    public const string MissingField = "missing_field";
    /// <summary>A field is of the wrong kind or holds a value that is not allowed.</summary>
    public const string InvalidField = "invalid_field";
    /// <summary>A frame other than <c>hello</c> before a successful <c>hello</c>.</summary>
    public const string NotAuthenticated = "not_authenticated";
    /// <summary>A second <c>hello</c> after a successful one.</summary>
    public const string AlreadyAuthenticated = "already_authenticated";
    /// <summary>The name in <c>hello</c> breaks the name rules.</summary>
    public const string InvalidUsername = "invalid_username";
    /// <summary>Another connection holds the name.</summary>
    public const string UsernameTaken = "username_taken";
    /// <summary>The name has an account and the password is missing or wrong.</summary>
    public const string AuthFailed = "auth_failed";
    /// <summary>The password given to <c>register</c> is too weak.</summary>
    public const string WeakPassword = "weak_password";
    /// <summary>The name already has an account.</summary>
    public const string AlreadyRegistered = "already_registered";
    /// <summary>A room name that breaks the room rules.</summary>
    public const string InvalidRoom = "invalid_room";
    /// <summary>Sending to, or leaving, a room the user has not joined.</summary>
    public const string NotInRoom = "not_in_room";
    /// <summary>A direct message to a user who is neither online nor registered.</summary>
    public const string NoSuchUser = "no_such_user";
    /// <summary>A blank text.</summary>
    public const string EmptyText = "empty_text";
    /// <summary>A text over the text limit.</summary>
    public const string TextTooLong = "text_too_long";
    /// <summary>Flow control refused a <c>send</c>, or (1.1) a limit against abuse refused a frame; see <c>retryAfterMs</c>.</summary>
    public const string RateLimited = "rate_limited";
    /// <summary>
    /// Protocol 1.1: one address holds too many connections or opens them too fast. Sent once, then the
    /// connection is closed.
    /// </summary>
    public const string TooManyConnections = "too_many_connections";
    /// <summary>The connection's outgoing queue overflowed. The connection is closed.</summary>
    public const string SlowConsumer = "slow_consumer";
    /// <summary>The server is stopping. The connection is closed; reconnect and resume.</summary>
    public const string ServerShutdown = "server_shutdown";
    /// <summary>A bug in the server, logged there with the same correlation.</summary>
    public const string InternalError = "internal_error";
}
