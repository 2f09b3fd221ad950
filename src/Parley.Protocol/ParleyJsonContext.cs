using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Parley.Protocol.Frames;

namespace Parley.Protocol;

/// <summary>The one source-generated JSON context for every frame, shared by the server and every client.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HelloFrame))]
[JsonSerializable(typeof(RegisterFrame))]
[JsonSerializable(typeof(SendFrame))]
[JsonSerializable(typeof(JoinFrame))]
[JsonSerializable(typeof(LeaveFrame))]
[JsonSerializable(typeof(HistoryRequestFrame))]
[JsonSerializable(typeof(WhoRequestFrame))]
[JsonSerializable(typeof(RoomsRequestFrame))]
[JsonSerializable(typeof(PingFrame))]
[JsonSerializable(typeof(QuitFrame))]
[JsonSerializable(typeof(LogoutFrame))]
[JsonSerializable(typeof(WelcomeFrame))]
[JsonSerializable(typeof(AckFrame))]
[JsonSerializable(typeof(MessageFrame))]
[JsonSerializable(typeof(PresenceFrame))]
[JsonSerializable(typeof(JoinedFrame))]
[JsonSerializable(typeof(LeftFrame))]
[JsonSerializable(typeof(HistoryFrame))]
[JsonSerializable(typeof(WhoFrame))]
[JsonSerializable(typeof(RoomsFrame))]
[JsonSerializable(typeof(RegisteredFrame))]
[JsonSerializable(typeof(PongFrame))]
[JsonSerializable(typeof(OkFrame))]
[JsonSerializable(typeof(ErrorFrame))]
public sealed partial class ParleyJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context every Parley component uses. Non-ASCII text, emoji included, is written as UTF-8
    /// rather than escaped: frames are JSON on a socket, never embedded in HTML.
    /// </summary>
    public static ParleyJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        Encoder = MinimalJsonEncoder.Instance,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });

    /// <summary>
    /// The options <see cref="FrameCodec.ReadClientFrame"/> reads client frames with: those of
    /// <see cref="Wire"/>, but a frame's <c>id</c> is skipped, since the codec has read it already to
    /// answer even a frame it cannot read. Reading it twice made a second string of it for every frame.
    /// </summary>
    internal static JsonSerializerOptions ClientFrameReaderOptions { get; } = new(Wire.Options)
    {
        TypeInfoResolver = new ParleyJsonContext().WithAddedModifier(SkipClientFrameId),
    };

    /// <summary>The writer options matching <see cref="Wire"/>.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = MinimalJsonEncoder.Instance,
        SkipValidation = true,
    };

    private static void SkipClientFrameId(JsonTypeInfo typeInfo)
    {
        if (!typeInfo.Type.IsAssignableTo(typeof(ClientFrame)))
        {
            return;
        }
        foreach (var property in typeInfo.Properties)
        {
            if (property.Name == "id")
            {
                property.Set = null;
            }
        }
    }
}
