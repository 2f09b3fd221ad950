using System.Text;

namespace Parley.Protocol;

/// <summary>
/// The name rules of protocol 1.0 (NFC, letters of any script mixed, simple case mapping), kept only to
/// find accounts registered under them: such a name keeps signing in even where <see cref="Names"/> now
/// refuses it.
/// </summary>
public static class LegacyNames
{
    /// <summary>Checks a username under the 1.0 rules; on success <paramref name="key"/> is the key 1.0 stored it under.</summary>
    public static bool TryNormalizeUser(string? name, out string key)
    {
        key = string.Empty;
        if (string.IsNullOrEmpty(name) || name.Length > ProtocolLimits.MaxNameLength * 4)
        {
            return false;
        }
        string nfc;
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
        if (count is < 1 or > ProtocolLimits.MaxNameLength)
        {
            return false;
        }
        // uppercasing first folded letters with several lowercase forms (final and medial sigma) into one
        key = nfc.ToUpperInvariant().ToLowerInvariant().Normalize(NormalizationForm.FormC);
        return true;
    }
}
