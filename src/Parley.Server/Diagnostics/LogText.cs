using System.Globalization;
using System.Text;

namespace Parley.Server.Diagnostics;

/// <summary>
/// What a client chose (its <c>client</c> string, a name) as it goes into a log line: control and
/// format characters escaped, so that a newline cannot forge a line nor a right-to-left override reorder
/// one, and cut to a sane length, so that one client cannot make the log grow by megabytes.
/// </summary>
public static class LogText
{
    /// <summary>The longest text kept from a client, in code points, before "…".</summary>
    public const int MaxLength = 80;

    /// <summary>The text as it may be logged; null stays null.</summary>
    public static string? Of(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var builder = new StringBuilder(Math.Min(text.Length, MaxLength * 2) + 8);
        var kept = 0;
        var changed = false;
        // a lone surrogate comes as the replacement character
        foreach (var rune in text.EnumerateRunes())
        {
            if (kept == MaxLength)
            {
                builder.Append('…');
                changed = true;
                break;
            }
            if (NeedsEscape(rune))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}");
                changed = true;
            }
            else
            {
                builder.Append(rune.ToString());
                changed |= rune == Rune.ReplacementChar;
            }
            kept++;
        }
        return changed ? builder.ToString() : text;
    }

    // controls (newlines among them) and format characters (bidi overrides, zero-width ones)
    private static bool NeedsEscape(Rune rune) =>
        Rune.IsControl(rune)
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
