using System.Text.Json;
using Parley.Protocol;
using Parley.Protocol.Frames;

namespace Parley.Client.Transports;

/// <summary>Turns one frame's JSON into a server frame, the same way for every transport.</summary>
internal static class ServerFrameDecoder
{
    /// <summary>The frame, or null for a type this library does not know or a frame it cannot read.</summary>
    public static ServerFrame? Decode(ReadOnlySpan<byte> json)
    {
        try
        {
            return FrameCodec.ReadServerFrame(json);
        }
        catch (JsonException)
        {
            return null; // a frame this library cannot read is passed over, as an unknown type is
        }
    }
}
