using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Parley.Protocol.Frames;

namespace Parley.Protocol;

/// <summary>The outcome of reading one client frame: the frame, or the error that refuses it.</summary>
/// <param name="Frame">The frame, when it could be read.</param>
/// <param name="Id">The frame's <c>id</c>, when one could be read, so that an error can carry it.</param>
/// <param name="ErrorCode">One of <see cref="ErrorCodes"/> when the frame is refused.</param>
/// <param name="ErrorMessage">A sentence for a person when the frame is refused.</param>
public readonly record struct ClientFrameReadResult(ClientFrame? Frame, string? Id, string? ErrorCode, string? ErrorMessage)
{
    /// <summary>The frame's <c>type</c> when it has a string one, known to this library or not; null for a <c>bad_frame</c>.</summary>
    public string? Type { get; init; }

    internal static ClientFrameReadResult Fail(string? id, string code, string message, string? type = null) =>
        new(null, id, code, message) { Type = type };
}

/// <summary>Reads and writes frames as JSON. Pure: no I/O.</summary>
public static class FrameCodec
{
    private static readonly ParleyJsonContext Json = ParleyJsonContext.Wire;

    // every frame type a client may send, with the type info that reads it (one that skips the id, read
    // before); a frame's type is matched on its bytes, so that no string is made for it
    private static readonly (string Type, JsonTypeInfo Info)[] s_clientFrameTypes = ClientFrameTypes(ParleyJsonContext.ClientFrameReaderOptions);

    // one frame object of each per thread, filled for each frame the server sends most: only the bytes are kept
    [ThreadStatic]
    private static AckFrame? t_ack;
    [ThreadStatic]
    private static MessageFrame? t_message;

    /// <summary>Reads a client frame (server side), telling apart every way it can be wrong.</summary>
    public static ClientFrameReadResult ReadClientFrame(in ReadOnlySequence<byte> json) =>
        // the runtime's reader of a sequence of several segments throws IndexOutOfRangeException, not a
        // JsonException, for a literal cut short by the end ("tr" and an empty segment; .NET 10.0.12): such
        // a frame is read from one copy (the transports hand over one segment, which is read in place)
        json.IsSingleSegment ? Read(json) : Read(new ReadOnlySequence<byte>(json.ToArray()));

    private static ClientFrameReadResult Read(in ReadOnlySequence<byte> json)
    {
        string? type = null, id = null, badId = null;
        JsonTypeInfo? typeInfo = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return ClientFrameReadResult.Fail(null, ErrorCodes.BadFrame, "A frame must be a JSON object.");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueIsEscaped)
                {
                    // an escaped name may be a lone surrogate, which no .NET string holds: it throws here,
                    // wherever it stands, rather than only where it could have been "type" or "id"
                    _ = reader.GetString();
                }
                var isType = reader.ValueTextEquals("type"u8);
                var isId = !isType && reader.ValueTextEquals("id"u8);
                reader.Read();
                if (isType && reader.TokenType == JsonTokenType.String)
                {
                    (type, typeInfo) = ClientFrameTypeOf(ref reader);
                }
                else if (isId)
                {
                    if (reader.TokenType == JsonTokenType.String && TryGetString(ref reader, out var value))
                    {
                        id = value;
                    }
                    else
                    {
                        badId = "id";
                    }
                }
                reader.Skip();
            }
            while (reader.Read())
            {
                // a second value after the object is caught here by the reader itself
            }
        }
        catch (JsonException)
        {
            return ClientFrameReadResult.Fail(null, ErrorCodes.BadFrame, "The frame is not valid JSON.");
        }
        catch (InvalidOperationException)
        {
            return ClientFrameReadResult.Fail(null, ErrorCodes.BadFrame, "The frame holds a string that is not valid Unicode.");
        }

        var idIsValid = badId is null && id is not null && IsValidId(id);
        if (type is null)
        {
            // the id is carried back only when it is one: an empty or too long one cannot be echoed
            return ClientFrameReadResult.Fail(idIsValid ? id : null, ErrorCodes.BadFrame, "A frame must have a string field \"type\".");
        }
        if (badId is not null || (id is not null && !idIsValid))
        {
            return ClientFrameReadResult.Fail(null, ErrorCodes.InvalidField, "\"id\" must be a string of 1 to 64 characters.", type);
        }
        if (typeInfo is null)
        {
            return ClientFrameReadResult.Fail(id, ErrorCodes.UnknownType, $"This server does not know the frame type \"{Truncate(type)}\".", type);
        }

        ClientFrame? frame;
        try
        {
            // the id was read above: the frame's own type info skips it instead of reading it again
            var reader = new Utf8JsonReader(json);
            frame = (ClientFrame?)JsonSerializer.Deserialize(ref reader, typeInfo);
        }
        catch (JsonException e)
        {
            return ClientFrameReadResult.Fail(id, ErrorCodes.InvalidField, $"The field {FieldOf(e.Path)} is of the wrong kind.", type);
        }
        catch (InvalidOperationException)
        {
            return ClientFrameReadResult.Fail(id, ErrorCodes.InvalidField, "A field holds a string that is not valid Unicode.", type);
        }
        if (frame is null)
        {
            return ClientFrameReadResult.Fail(id, ErrorCodes.BadFrame, "A frame must be a JSON object.");
        }
        frame.Id = id;
        var missing = frame.FirstMissingField();
        return missing is null
            ? new ClientFrameReadResult(frame, id, null, null) { Type = type }
            : ClientFrameReadResult.Fail(id, ErrorCodes.MissingField, $"A \"{type}\" frame needs the field \"{missing}\".", type);
    }

    /// <summary>Reads a server frame (client side). Returns null for a frame type this library does not know.</summary>
    /// <exception cref="JsonException">The bytes are not a valid server frame.</exception>
    public static ServerFrame? ReadServerFrame(ReadOnlySpan<byte> json)
    {
        var scan = new Utf8JsonReader(json);
        string? type = null;
        if (!scan.Read() || scan.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A frame must be a JSON object.");
        }
        while (type is null && scan.Read() && scan.TokenType == JsonTokenType.PropertyName)
        {
            var isType = scan.ValueTextEquals("type"u8);
            scan.Read();
            if (isType && scan.TokenType == JsonTokenType.String)
            {
                type = scan.GetString();
            }
            scan.Skip();
        }
        var typeInfo = type is null ? null : ServerTypeInfo(type);
        return typeInfo is null ? null : (ServerFrame?)JsonSerializer.Deserialize(json, typeInfo);
    }

    /// <summary>Writes a frame of either side as one JSON object, without line ending.</summary>
    public static void Write(IBufferWriter<byte> output, object frame)
    {
        using var writer = new Utf8JsonWriter(output, ParleyJsonContext.WriterOptions);
        JsonSerializer.Serialize(writer, frame, Json.GetTypeInfo(frame.GetType())!);
    }

    /// <summary>An <c>ack</c> frame as UTF-8 JSON bytes, without line ending and without a frame object of its own.</summary>
    public static byte[] AckToBytes(string id, long seq, DateTimeOffset ts)
    {
        var frame = t_ack ??= new AckFrame();
        frame.Id = id;
        frame.Seq = seq;
        frame.Ts = ts;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(frame, Json.AckFrame);
        frame.Id = null;
        return bytes;
    }

    /// <summary>A <c>message</c> frame as UTF-8 JSON bytes, without line ending and without a frame object of its own.</summary>
    public static byte[] MessageToBytes(long seq, string to, string from, string text, DateTimeOffset ts)
    {
        var frame = t_message ??= new MessageFrame();
        frame.Seq = seq;
        frame.To = to;
        frame.From = from;
        frame.Text = text;
        frame.Ts = ts;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(frame, Json.MessageFrame);
        frame.Text = frame.From = frame.To = string.Empty;
        return bytes;
    }

    /// <summary>Writes a frame of either side as UTF-8 JSON bytes, without line ending.</summary>
    public static byte[] ToBytes(object frame) => JsonSerializer.SerializeToUtf8Bytes(frame, Json.GetTypeInfo(frame.GetType())!);

    /// <summary>Writes a frame of either side as a JSON string, without line ending.</summary>
    public static string ToJson(object frame) => JsonSerializer.Serialize(frame, Json.GetTypeInfo(frame.GetType())!);

    private static (string Type, JsonTypeInfo Info)[] ClientFrameTypes(JsonSerializerOptions options) =>
    [
        (FrameTypes.Send, options.GetTypeInfo(typeof(SendFrame))),
        (FrameTypes.Ping, options.GetTypeInfo(typeof(PingFrame))),
        (FrameTypes.Hello, options.GetTypeInfo(typeof(HelloFrame))),
        (FrameTypes.Join, options.GetTypeInfo(typeof(JoinFrame))),
        (FrameTypes.Leave, options.GetTypeInfo(typeof(LeaveFrame))),
        (FrameTypes.History, options.GetTypeInfo(typeof(HistoryRequestFrame))),
        (FrameTypes.Who, options.GetTypeInfo(typeof(WhoRequestFrame))),
        (FrameTypes.Rooms, options.GetTypeInfo(typeof(RoomsRequestFrame))),
        (FrameTypes.Register, options.GetTypeInfo(typeof(RegisterFrame))),
        (FrameTypes.Quit, options.GetTypeInfo(typeof(QuitFrame))),
        (FrameTypes.Logout, options.GetTypeInfo(typeof(LogoutFrame))),
    ];

    // the frame type at the reader, and its type info; an unknown type is read as a string, without one
    private static (string Type, JsonTypeInfo? Info) ClientFrameTypeOf(ref Utf8JsonReader reader)
    {
        foreach (var (type, info) in s_clientFrameTypes)
        {
            if (reader.ValueTextEquals(type))
            {
                return (type, info);
            }
        }
        return (reader.GetString()!, null);
    }

    private static JsonTypeInfo? ServerTypeInfo(string type) => type switch
    {
        FrameTypes.Welcome => Json.WelcomeFrame,
        FrameTypes.Ack => Json.AckFrame,
        FrameTypes.Message => Json.MessageFrame,
        FrameTypes.Presence => Json.PresenceFrame,
        FrameTypes.Joined => Json.JoinedFrame,
        FrameTypes.Left => Json.LeftFrame,
        FrameTypes.History => Json.HistoryFrame,
        FrameTypes.Who => Json.WhoFrame,
        FrameTypes.Rooms => Json.RoomsFrame,
        FrameTypes.Registered => Json.RegisteredFrame,
        FrameTypes.Pong => Json.PongFrame,
        FrameTypes.Ok => Json.OkFrame,
        FrameTypes.Error => Json.ErrorFrame,
        _ => null,
    };

    private static bool TryGetString(ref Utf8JsonReader reader, out string? value)
    {
        try
        {
            value = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            // a lone surrogate escape has no .NET string: the field is invalid, not the frame
            value = null;
            return false;
        }
    }

    private static string FieldOf(string? path)
    {
        // "$.text" or "$.resume['#x']" name the offending field; the first segment is the field
        if (string.IsNullOrEmpty(path) || path.Length < 3)
        {
            return "value";
        }
        var name = path[2..];
        var end = name.IndexOfAny(['.', '[']);
        return $"\"{(end < 0 ? name : name[..end])}\"";
    }

    // a character is a code point, as everywhere in the protocol: an emoji is one, not two UTF-16 units
    private static bool IsValidId(string id) =>
        id.Length > 0 && (id.Length <= ProtocolLimits.MaxIdLength || id.EnumerateRunes().Count() <= ProtocolLimits.MaxIdLength);

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
