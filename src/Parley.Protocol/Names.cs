using System.Diagnostics.CodeAnalysis;
using System.Text;
using Parley.Protocol.Unicode;

namespace Parley.Protocol;

/// <summary>
/// The name rules for usernames and rooms: the PRECIS <c>UsernameCaseMapped</c> profile (RFC 8265:
/// width mapping, Unicode default case folding, NFC) within Parley's shape. A name is 1 to 32 code
/// points after NFC: a letter or decimal digit, then letters, decimal digits, <c>_</c>, <c>-</c>,
/// <c>.</c> and combining marks (each after a letter, digit or mark), of one script, with no
/// compatibility, default-ignorable or unassigned characters. Rooms are written <c>#name</c> and
/// shown in their folded form; <see cref="SkeletonOf"/> tells names apart that look alike.
/// </summary>
public static partial class Names
{
    /// <summary>
    /// Checks a username. On success <paramref name="display"/> is the name as the user wrote it after
    /// width mapping and NFC (<c>ａｄｍｉｎ</c> is shown as <c>admin</c>), and <paramref name="key"/> its
    /// case-folded NFC form, which names that differ only in case or width share (<c>Straße</c> and
    /// <c>STRASSE</c>: <c>strasse</c>).
    /// </summary>
    public static bool TryNormalizeUser(string? name, out string display, out string key)
    {
        display = key = string.Empty;
        if (IsAsciiName(name))
        {
            // the common case: ASCII folds to ASCII lowercase, and NFC and width mapping change nothing
            display = name;
            key = name.ToLowerInvariant();
            return true;
        }
        if (!TryPrepare(name, out var prepared) || !IsAllowed(prepared))
        {
            return false;
        }
        display = prepared;
        key = KeyOf(prepared);
        return true;
    }

    /// <summary>
    /// Checks a room name (<c>#</c> and a name under the username rules). On success
    /// <paramref name="room"/> is the room's canonical form: <c>#</c> and the name's key.
    /// </summary>
    public static bool TryNormalizeRoom(string? name, out string room)
    {
        room = string.Empty;
        if (IsCanonicalAsciiRoom(name))
        {
            // the common case, a room written as it is shown: itself, with no string made per send
            room = name;
            return true;
        }
        if (name is null || name.Length < 2 || name[0] != '#' || !TryNormalizeUser(name[1..], out _, out var key))
        {
            return false;
        }
        room = "#" + key;
        return true;
    }

    /// <summary>True when a conversation name denotes a room rather than a user.</summary>
    public static bool IsRoom(string conversation) => conversation.Length > 0 && conversation[0] == '#';

    // RFC 8265 folds, then applies NFC; folding the NFC form gives canonically equivalent spellings one
    // key even where folding and NFC do not commute (α with U+0345 and an accent, in either order)
    private static string KeyOf(string prepared) => Icu.FoldCase(prepared).Normalize(NormalizationForm.FormC);

    // the name as it is shown: width mapping, then NFC. False for what cannot be a name at all
    private static bool TryPrepare([NotNullWhen(true)] string? name, out string prepared)
    {
        prepared = string.Empty;
        // the longest valid name is 32 code points of two UTF-16 units, or written with decomposed accents
        if (string.IsNullOrEmpty(name) || name.Length > ProtocolLimits.MaxNameLength * 4 || !IsWellFormed(name))
        {
            return false;
        }
        prepared = WidthMapping.Apply(name).Normalize(NormalizationForm.FormC);
        return true;
    }

    // no lone surrogate
    private static bool IsWellFormed(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(text, out _, out var used) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }
            text = text[used..];
        }
        return true;
    }
}
