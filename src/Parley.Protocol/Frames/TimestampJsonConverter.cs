using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.Protocol.Frames;

/// <summary>Reads and writes a <c>ts</c> field in the wire format of <see cref="Timestamps"/>.</summary>
public sealed class TimestampJsonConverter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc />
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var value)
            ? value.ToUniversalTime()
            : throw new JsonException("A timestamp must be an RFC 3339 string.");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<char> text = stackalloc char[24];
        value.UtcDateTime.TryFormat(text, out var written, Timestamps.Format, System.Globalization.CultureInfo.InvariantCulture);
        writer.WriteStringValue(text[..written]);
    }
}
