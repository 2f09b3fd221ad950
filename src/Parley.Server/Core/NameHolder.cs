namespace Parley.Server.Core;

/// <summary>An identity holding a name: an account's, or a guest's that exists only while it holds it.</summary>
/// <param name="Identity">The identity (<see cref="IdentityTokens.NewIdentity"/>): what direct conversations and idempotency belong to.</param>
/// <param name="Name">The name as shown.</param>
/// <param name="NameKey">The name's comparison key.</param>
/// <param name="Skeleton">The name's confusable skeleton: the key it is held under.</param>
/// <param name="GuestTokenHash">For a guest, the hash of its token (a guest's token lives with its name); null for an account or a guest that logged out.</param>
public sealed record NameHolder(string Identity, string Name, string NameKey, string Skeleton, string? GuestTokenHash)
{
    /// <summary>True for a guest: the identity ends when the name is given up.</summary>
    public bool IsGuest { get; init; }

    /// <summary>What a cluster keeps with the name, for <see cref="FromDetails"/> on any node.</summary>
    public string Details => $"{(IsGuest ? "g" : "a")}\t{Name}\t{NameKey}\t{GuestTokenHash}";

    /// <summary>The holder from what <see cref="Details"/> wrote.</summary>
    public static NameHolder? FromDetails(string identity, string skeleton, string details) =>
        details.Split('\t') is [var kind, var name, var nameKey, var tokenHash]
            ? new NameHolder(identity, name, nameKey, skeleton, tokenHash.Length == 0 ? null : tokenHash) { IsGuest = kind == "g" }
            : null;
}
