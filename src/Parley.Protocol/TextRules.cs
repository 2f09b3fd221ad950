using System.Text;
using Parley.Protocol.Unicode;

namespace Parley.Protocol;

/// <summary>The rules for a message text: any Unicode but control characters other than newline and tab,
/// not blank (whitespace and invisible characters alone are blank), at most 4,000 code points after NFC.</summary>
public static class TextRules
{
    private const int BraillePatternBlank = 0x2800;
    private const int KhitanSmallScriptFiller = 0x16FE4;
    private const int MusicalSymbolNullNotehead = 0x1D159;

    /// <summary>Returns null when <paramref name="text"/> may be sent, or the error code that refuses it.</summary>
    public static string? Check(string text)
    {
        var codePoints = 0;
        var blank = true;
        var index = 0;
        while (index < text.Length)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var used) != System.Buffers.OperationStatus.Done)
            {
                return ErrorCodes.InvalidField; // a lone surrogate
            }
            if (Rune.IsControl(rune) && rune.Value is not ('\n' or '\t'))
            {
                return ErrorCodes.InvalidField;
            }
            blank = blank && IsInvisible(rune);
            codePoints++;
            index += used;
        }
        if (blank)
        {
            return ErrorCodes.EmptyText;
        }
        // NFC may shorten a text (composing accents) or lengthen it (characters excluded from composition)
        var length = text.IsNormalized(NormalizationForm.FormC) ? codePoints : CountAfterNfc(text);
        return length > ProtocolLimits.MaxTextLength ? ErrorCodes.TextTooLong : null;
    }

    // whitespace, default-ignorable code points (zero-width space, the Hangul fillers, variation
    // selectors, bidi controls), and blank signs that draw nothing without being default-ignorable;
    // only asked of a text's first characters, until one shows
    private static bool IsInvisible(Rune rune) =>
        Rune.IsWhiteSpace(rune)
        || (!rune.IsAscii && (rune.Value is BraillePatternBlank or KhitanSmallScriptFiller or MusicalSymbolNullNotehead
            || Icu.IsDefaultIgnorable(rune.Value)));

    private static int CountAfterNfc(string text)
    {
        var count = 0;
        foreach (var _ in text.Normalize(NormalizationForm.FormC).EnumerateRunes())
        {
            count++;
        }
        return count;
    }
}
