using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Parley.Protocol.Unicode;

namespace Parley.Protocol;

/// <summary>Which code points a name may hold, and in what order.</summary>
public static partial class Names
{
    // the rules on a name after width mapping and NFC (the protocol page lists them)
    private static bool IsAllowed(string prepared)
    {
        // a character with a compatibility decomposition (𝐚, ², ﬁ, ㄱ) is one that NFKC would change
        if (!prepared.IsNormalized(NormalizationForm.FormKC))
        {
            return false;
        }
        var scripts = new ScriptSet();
        var count = 0;
        var markMayFollow = false;
        var digitZero = -1;
        foreach (var rune in prepared.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            var isDigit = category == UnicodeCategory.DecimalDigitNumber;
            var isLetterOrDigit = isDigit || Rune.IsLetter(rune);
            var isMark = category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
            var allowedHere = count == 0
                ? isLetterOrDigit
                : isLetterOrDigit || (isMark && markMayFollow) || rune.Value is '_' or '-' or '.';
            // script Unknown: unassigned in ICU's Unicode version
            var script = Icu.ScriptOf(rune.Value);
            if (!allowedHere || script == Icu.ScriptUnknown || IsRefusedCodePoint(rune.Value))
            {
                return false;
            }
            if (isDigit)
            {
                // digits of one decimal system, as UTS #39 advises: ٣ (Arabic-Indic) and ۳ (Persian) look alike
                var zero = rune.Value - (int)Rune.GetNumericValue(rune);
                if (digitZero >= 0 && digitZero != zero)
                {
                    return false;
                }
                digitZero = zero;
            }
            scripts.Add(script);
            markMayFollow = isLetterOrDigit || isMark;
            count++;
        }
        return count <= ProtocolLimits.MaxNameLength && scripts.IsSingleScript && !HasHiddenMarks(prepared);
    }

    // UTS #39's checks on nonspacing marks (5.4), in NFD where each mark stands on its own: more than
    // four in a row, one of them twice (é with a second acute shows as é), or a dot above a letter that
    // has its own dot (i with U+0307 shows as i)
    private static bool HasHiddenMarks(string prepared)
    {
        Span<int> run = stackalloc int[4];
        var length = 0;
        var softDottedBase = false;
        foreach (var rune in prepared.Normalize(NormalizationForm.FormD).EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                length = 0;
                softDottedBase = Icu.IsSoftDotted(rune.Value);
                continue;
            }
            if (length == run.Length || run[..length].Contains(rune.Value) || (rune.Value == 0x0307 && softDottedBase))
            {
                return true;
            }
            run[length++] = rune.Value;
        }
        return false;
    }

    private static bool IsRefusedCodePoint(int codePoint) =>
        Icu.IsDefaultIgnorable(codePoint) // invisible: ZWJ, variation selectors, the Hangul fillers ㅤ
        || IsPrecisException(codePoint)
        || IsConjoiningJamo(codePoint);

    // RFC 5892's letters and marks that PRECIS disallows: the Arabic tatweel (it stretches a word
    // without changing it), the N'Ko lajanyalan, the Hangul tone marks, the vertical kana repeat marks
    private static bool IsPrecisException(int codePoint) =>
        codePoint is 0x0640 or 0x07FA or 0x302E or 0x302F or (>= 0x3031 and <= 0x3035) or 0x303B;

    // PRECIS's OldHangulJamo: parts of a syllable that NFC left unjoined
    private static bool IsConjoiningJamo(int codePoint) =>
        codePoint is (>= 0x1100 and <= 0x11FF) or (>= 0xA960 and <= 0xA97F) or (>= 0xD7B0 and <= 0xD7FF);

    // a letter or digit, then letters, digits, '_', '-' and '.', all ASCII: valid, and its own display
    private static bool IsAsciiName([NotNullWhen(true)] string? name) => name is not null && HasAsciiNameShape(name, lowercaseOnly: false);

    // '#', then 1 to 32 of a-z, 0-9, '_', '-', '.', the first a letter or digit: its own canonical form
    private static bool IsCanonicalAsciiRoom([NotNullWhen(true)] string? name) =>
        name is not null && name.Length >= 2 && name[0] == '#' && HasAsciiNameShape(name.AsSpan(1), lowercaseOnly: true);

    private static bool HasAsciiNameShape(ReadOnlySpan<char> name, bool lowercaseOnly)
    {
        if (name.IsEmpty || name.Length > ProtocolLimits.MaxNameLength)
        {
            return false;
        }
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var letterOrDigit = (lowercaseOnly ? char.IsAsciiLetterLower(c) : char.IsAsciiLetter(c)) || char.IsAsciiDigit(c);
            if (i == 0 ? !letterOrDigit : !(letterOrDigit || c is '_' or '-' or '.'))
            {
                return false;
            }
        }
        return true;
    }
}
