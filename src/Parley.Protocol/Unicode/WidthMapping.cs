using System.Text;

namespace Parley.Protocol.Unicode;

/// <summary>
/// PRECIS's width mapping (RFC 8264, 9.1): a full-width or half-width form (decomposition type
/// wide or narrow: <c>ａ</c>, <c>ｶ</c>) becomes the character it is a form of; nothing else changes.
/// </summary>
internal static class WidthMapping
{
    /// <summary>The text with its width forms mapped; the text itself when it has none. The text must be well-formed UTF-16.</summary>
    public static string Apply(string text)
    {
        var first = IndexOfWidthForm(text);
        if (first < 0)
        {
            return text;
        }
        var mapped = new StringBuilder(text.Length);
        mapped.Append(text, 0, first);
        Span<char> units = stackalloc char[2];
        foreach (var rune in text.AsSpan(first).EnumerateRunes())
        {
            if (IsWidthForm(rune))
            {
                // a width form decomposes to one character, which NFKC of the form alone gives (taking
                // the half-width Hangul letters on to conjoining jamo, which the name rules refuse either way)
                mapped.Append(rune.ToString().Normalize(NormalizationForm.FormKC));
            }
            else
            {
                mapped.Append(units[..rune.EncodeToUtf16(units)]);
            }
        }
        return mapped.ToString();
    }

    private static int IndexOfWidthForm(string text)
    {
        for (var index = 0; index < text.Length;)
        {
            var rune = Rune.GetRuneAt(text, index);
            if (IsWidthForm(rune))
            {
                return index;
            }
            index += rune.Utf16SequenceLength;
        }
        return -1;
    }

    private static bool IsWidthForm(Rune rune) => !rune.IsAscii && Icu.IsWidthForm(rune.Value);
}
