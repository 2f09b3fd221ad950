using System.Text;

namespace Parley.Protocol;

/// <summary>
/// The name rules of protocol v1 for usernames and rooms: 1 to 32 code points after NFC, letters,
/// decimal digits, <c>_</c>, <c>-</c> and <c>.</c>, starting with a letter or digit. Names compare
/// case-insensitively; rooms are written <c>#name</c> and shown in lowercase.
/// </summary>
public static class Names
{
    /// <summary>
    /// Checks a username. On success <paramref name="display"/> is the name in NFC as the user wrote it
    /// and <paramref name="key"/> the form that compares equal for names that differ only in case.
    /// </summary>
    public static bool TryNormalizeUser(string? name, out string display, out string key)
    {
        display = key = string.Empty;
        if (!TryNormalizeBare(name, out var nfc))
        {
            return false;
        }
        display = nfc;
        key = KeyOf(nfc);
        return true;
    }

    /// <summary>
    /// Checks a room name (<c>#</c> and a bare name). On success <paramref name="room"/> is the
    /// room's canonical form: <c>#</c> and the lowercase name.
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
        if (name is null || name.Length < 2 || name[0] != '#' || !TryNormalizeBare(name[1..], out var nfc))
        {
            return false;
        }
        room = "#" + KeyOf(nfc);
        return true;
    }

    // '#', then 1 to 32 of a-z, 0-9, '_', '-', '.', the first a letter or digit: NFC and lowercase already
    private static bool IsCanonicalAsciiRoom([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? name)
    {
        if (name is null || name.Length < 2 || name.Length > ProtocolLimits.MaxNameLength + 1 || name[0] != '#')
        {
            return false;
        }
        for (var i = 1; i < name.Length; i++)
        {
            var c = name[i];
            var letterOrDigit = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
            if (i == 1 ? !letterOrDigit : !(letterOrDigit || c is '_' or '-' or '.'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The key two names compare equal under when they look alike (placeholder until the confusable skeleton).</summary>
    public static string SkeletonOf(string name) => KeyOf(name.Normalize(NormalizationForm.FormC));

    /// <summary>True when a conversation name denotes a room rather than a user.</summary>
    public static bool IsRoom(string conversation) => conversation.Length > 0 && conversation[0] == '#';

    // Uppercasing first folds letters with several lowercase forms (final and medial sigma) into one.
    private static string KeyOf(string nfc) => nfc.ToUpperInvariant().ToLowerInvariant().Normalize(NormalizationForm.FormC);

    private static bool TryNormalizeBare(string? name, out string nfc)
    {
        nfc = string.Empty;
        if (string.IsNullOrEmpty(name) || name.Length > ProtocolLimits.MaxNameLength * 4)
        {
            return false;
        }
        try
        {
            nfc = name.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return false; // lone surrogates cannot be normalized
        }
        var count = 0;
        var index = 0;
        while (index < nfc.Length)
        {
            if (Rune.DecodeFromUtf16(nfc.AsSpan(index), out var rune, out var used) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }
            var letterOrDigit = Rune.IsLetter(rune) || Rune.IsDigit(rune);
            if (count == 0 ? !letterOrDigit : !(letterOrDigit || rune.Value is '_' or '-' or '.'))
            {
                return false;
            }
            count++;
            index += used;
        }
        return count is >= 1 and <= ProtocolLimits.MaxNameLength;
    }
}
