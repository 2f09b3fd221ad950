using System.Text;

namespace Parley.Protocol;

/// <summary>The rules for a message text: any Unicode but control characters other than newline and tab,
/// not blank, at most 4,000 code points after NFC.</summary>
public static class TextRules
{
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
            blank &= Rune.IsWhiteSpace(rune);
            codePoints++;
            index += used;
        }
        if (blank)
        {
            return ErrorCodes.EmptyText;
        }
        // NFC may shorten a text or lengthen it (U+0958 and the other composition exclusions become
        // two code points), so a text not already in NFC is counted as it is after NFC
        var length = text.IsNormalized(NormalizationForm.FormC) ? codePoints : CountAfterNfc(text);
        return length > ProtocolLimits.MaxTextLength ? ErrorCodes.TextTooLong : null;
    }

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
