using System.Text.Json;

namespace Parley.Testing;

/// <summary>Short reads of raw frames in tests.</summary>
public static class FrameAssertions
{
    /// <summary>The frame's <c>type</c>.</summary>
    public static string? Type(this JsonElement frame) => frame.Str("type");

    /// <summary>The frame's <c>id</c>, if any.</summary>
    public static string? Id(this JsonElement frame) => frame.Str("id");

    /// <summary>A string field, or null.</summary>
    public static string? Str(this JsonElement frame, string name) =>
        frame.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A number field; fails if absent.</summary>
    public static long Num(this JsonElement frame, string name) => frame.GetProperty(name).GetInt64();

    /// <summary>True for a frame of the given type.</summary>
    public static bool Is(this JsonElement frame, string type) => frame.Type() == type;

    /// <summary>Asserts the frame is an error with this code (and id, when given); returns it.</summary>
    public static JsonElement AssertError(this JsonElement frame, string code, string? id = null)
    {
        Assert.True(frame.Is("error"), $"expected error {code}, got {frame.GetRawText()}");
        Assert.Equal(code, frame.Str("code"));
        Assert.False(string.IsNullOrWhiteSpace(frame.Str("message")), "an error carries a sentence for a person");
        if (id is not null)
        {
            Assert.Equal(id, frame.Id());
        }
        return frame;
    }

    /// <summary>The strings of an array field.</summary>
    public static List<string> Strings(this JsonElement frame, string name) =>
        [.. frame.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
}
