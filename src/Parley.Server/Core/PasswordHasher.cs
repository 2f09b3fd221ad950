using System.Security.Cryptography;
namespace Parley.Server.Core;
/// <summary>TEMPORARY stand-in until the store branch lands.</summary>
public static class PasswordHasher
{
    /// <summary>Hashes.</summary>
    public static string Hash(string password) => Convert.ToBase64String(Rfc2898DeriveBytes.Pbkdf2(password, new byte[16], 600_000, HashAlgorithmName.SHA256, 32));
    /// <summary>Verifies.</summary>
    public static bool Verify(string password, string encoded) => Hash(password) == encoded;
}
