namespace Parley.Testing.Fuzzing;

/// <summary>The codes of docs/protocol.md's error table, written out here rather than taken from the server's constants.</summary>
public static class ErrorTable
{
    /// <summary>A frame that is not a JSON object with a string <c>type</c>.</summary>
    public const string BadFrame = "bad_frame";
    /// <summary>A frame over the limit: the connection is closed after it.</summary>
    public const string FrameTooLarge = "frame_too_large";
    /// <summary>A type the server does not know.</summary>
    public const string UnknownType = "unknown_type";
    /// <summary>A required field absent or null.</summary>
    public const string MissingField = "missing_field";
    /// <summary>A field of the wrong kind, or an id that is not 1 to 64 characters.</summary>
    public const string InvalidField = "invalid_field";

    /// <summary>Every code of the table.</summary>
    public static IReadOnlySet<string> Codes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        BadFrame, FrameTooLarge, UnknownType, MissingField, InvalidField,
        "not_authenticated", "already_authenticated", "invalid_username", "username_taken", "auth_failed",
        "weak_password", "already_registered", "invalid_room", "not_in_room", "no_such_user", "empty_text",
        "text_too_long", "rate_limited", "slow_consumer", "server_shutdown", "internal_error",
    };

    /// <summary>The codes with which reading a frame can fail, before the server looks at what the frame asks.</summary>
    public static IReadOnlySet<string> ReadFailures { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        BadFrame, InvalidField, UnknownType, MissingField,
    };
}
