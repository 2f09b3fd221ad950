using System.Globalization;
using System.Security.Cryptography;

namespace Parley.Server.Core;

/// <summary>
/// Account passwords: PBKDF2-HMAC-SHA256 with a random salt per account, encoded as
/// <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;base64 salt&gt;$&lt;base64 hash&gt;</c>. The iteration count is
/// part of the encoding, so it can be raised later without invalidating stored hashes.
/// </summary>
public static class PasswordHasher
{
    /// <summary>The iterations of every new hash (the OWASP recommendation for PBKDF2-HMAC-SHA256); never lower it.</summary>
    public const int Iterations = 600_000;

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    // Stored values beyond these are taken as damage or tampering, not as a reason to spend minutes hashing.
    private const int MaxIterations = 100_000_000;
    private const int MinHashBytes = 16, MaxHashBytes = 64;

    /// <summary>Hashes a password with a new random salt.</summary>
    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Whether the password matches the encoded hash; false for an encoding this class cannot read.</summary>
    public static bool Verify(string password, string encoded)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(encoded);

        var parts = encoded.Split('$');
        if (parts.Length != 4
            || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations is < 1 or > MaxIterations
            || !TryDecode(parts[2], out var salt)
            || !TryDecode(parts[3], out var expected)
            || expected.Length is < MinHashBytes or > MaxHashBytes)
        {
            return false;
        }
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static bool TryDecode(string base64, out byte[] bytes)
    {
        bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written == 0)
        {
            return false;
        }
        bytes = bytes[..written];
        return true;
    }
}
