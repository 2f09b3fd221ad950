namespace Parley.Testing.Fuzzing;

/// <summary>What a field of a client frame holds, as the protocol's tables describe it.</summary>
public enum FieldKind
{
    /// <summary>A string.</summary>
    Text,
    /// <summary>An integer that fits 64 bits (a <c>seq</c>).</summary>
    Int64,
    /// <summary>An integer that fits 32 bits (a <c>limit</c>).</summary>
    Int32,
    /// <summary>An object of conversation to <c>seq</c> (<c>resume</c>).</summary>
    SeqMap,
}

/// <summary>A field a client frame type knows.</summary>
/// <param name="Name">The field's name on the wire.</param>
/// <param name="Kind">What it holds.</param>
/// <param name="Required">True when the frame is <c>missing_field</c> without it (or with it null).</param>
public sealed record FrameField(string Name, FieldKind Kind, bool Required);

/// <summary>A client frame type and its fields.</summary>
/// <param name="Type">The <c>type</c>.</param>
/// <param name="IdRequired">True when the frame needs an <c>id</c> (<c>send</c>).</param>
/// <param name="Fields">The fields besides <c>type</c> and <c>id</c>.</param>
public sealed record FrameShape(string Type, bool IdRequired, IReadOnlyList<FrameField> Fields);

/// <summary>
/// Every frame a client may send, written from docs/protocol.md's "Requests and replies" table rather
/// than from the codec's classes, so that a test comparing the two compares two sources.
/// </summary>
public static class ClientFrameShapes
{
    /// <summary>Every client frame type.</summary>
    public static IReadOnlyList<FrameShape> All { get; } =
    [
        new("hello", false,
        [
            new("user", FieldKind.Text, true),
            new("password", FieldKind.Text, false),
            new("token", FieldKind.Text, false),
            new("client", FieldKind.Text, false),
            new("resume", FieldKind.SeqMap, false),
        ]),
        new("register", false, [new("password", FieldKind.Text, true)]),
        new("logout", false, []),
        new("send", true, [new("to", FieldKind.Text, true), new("text", FieldKind.Text, true)]),
        new("join", false, [new("room", FieldKind.Text, true)]),
        new("leave", false, [new("room", FieldKind.Text, true)]),
        new("history", false,
        [
            new("to", FieldKind.Text, true),
            new("before", FieldKind.Int64, false),
            new("after", FieldKind.Int64, false),
            new("limit", FieldKind.Int32, false),
        ]),
        new("who", false, [new("room", FieldKind.Text, true)]),
        new("rooms", false, []),
        new("ping", false, []),
        new("quit", false, [new("reason", FieldKind.Text, false)]),
    ];

    /// <summary>The shape of a type, or null for a type the protocol does not have.</summary>
    public static FrameShape? Find(string type) => All.FirstOrDefault(shape => shape.Type == type);
}
