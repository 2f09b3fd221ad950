using System.Security.Cryptography;
using System.Text;

namespace Parley.Server.Core;

/// <summary>Identities and the tokens that stand for them (protocol 1.1, "Identity").</summary>
public static class IdentityTokens
{
    /// <summary>
    /// A new identity: <c>@</c> and 128 random bits in hex. The <c>@</c>, which no name may hold, keeps it
    /// apart from the user keys that named direct conversations before identities.
    /// </summary>
    public static string NewIdentity() => "@" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>A new token: 256 random bits, base64url without padding.</summary>
    public static string NewToken() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// What the server keeps of a token: its SHA-256 in hex. A token is random and long, so a fast hash
    /// suffices (no password-style stretching): the hash cannot be turned back into a token.
    /// </summary>
    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
