using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Parley.Protocol;

/// <summary>
/// Escapes only what JSON requires (RFC 8259, section 7): the quotation mark, the reverse solidus and
/// the control characters U+0000 to U+001F. Every other character is written as UTF-8, emoji included:
/// the built-in encoders, even the relaxed one, escape every character outside the Basic Multilingual
/// Plane. A lone surrogate is written as U+FFFD, so the output is always valid UTF-8.
/// </summary>
internal sealed class MinimalJsonEncoder : JavaScriptEncoder
{
    public static MinimalJsonEncoder Instance { get; } = new();

    private MinimalJsonEncoder()
    {
    }

    // "\u001F" is the longest escape
    public override int MaxOutputCharactersPerInputCharacter => 6;

    // Surrogates are claimed so that a pair reaches TryEncodeUnicodeScalar whole, and a lone one is replaced.
    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar is < 0x20 or '"' or '\\' or (>= 0xD800 and <= 0xDFFF);

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var span = new ReadOnlySpan<char>(text, textLength);
        for (var index = 0; index < span.Length; index++)
        {
            var c = span[index];
            if (char.IsHighSurrogate(c) && index + 1 < span.Length && char.IsLowSurrogate(span[index + 1]))
            {
                index++;
            }
            else if (WillEncode(c))
            {
                return index;
            }
        }
        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var destination = new Span<char>(buffer, bufferLength);
        var escape = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\b' => "\\b",
            '\f' => "\\f",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            < 0x20 => "\\u" + unicodeScalar.ToString("X4", CultureInfo.InvariantCulture),
            _ => null,
        };
        if (escape is not null)
        {
            numberOfCharactersWritten = escape.TryCopyTo(destination) ? escape.Length : 0;
            return numberOfCharactersWritten > 0;
        }
        var rune = Rune.IsValid(unicodeScalar) ? new Rune(unicodeScalar) : Rune.ReplacementChar;
        return rune.TryEncodeToUtf16(destination, out numberOfCharactersWritten);
    }
}
