namespace Parley.Server.Storage;

/// <summary>Creates an account with its rooms unless its user key or identity has one; <see cref="Inserted"/> says whether it did.</summary>
/// <param name="Account">The account.</param>
/// <param name="Created">When it was created.</param>
public sealed record CreateAccountWrite(Account Account, DateTimeOffset Created) : StoreWrite
{
    /// <summary>False when the user key or the identity already had an account.</summary>
    public bool Inserted { get; set; }
}

/// <summary>Replaces the rooms an account is a member of; the account must exist (the rooms refer to it).</summary>
/// <param name="Identity">The account's identity.</param>
/// <param name="Rooms">Its rooms, canonical form.</param>
public sealed record SaveAccountRoomsWrite(string Identity, IReadOnlyList<string> Rooms) : StoreWrite;

/// <summary>Stores an account's key and skeleton as computed by the name rules of version <paramref name="NameRules"/>.</summary>
/// <param name="Identity">The account's identity.</param>
/// <param name="UserKey">The name's comparison key.</param>
/// <param name="Skeleton">The name's confusable skeleton.</param>
/// <param name="NameRules">The version of the name rules they follow.</param>
public sealed record UpdateAccountNameWrite(string Identity, string UserKey, string Skeleton, int NameRules) : StoreWrite;

/// <summary>Keeps a new identity token by its hash (the token itself is never stored).</summary>
/// <param name="TokenHash">The token's hash.</param>
/// <param name="Identity">The account it signs in as.</param>
/// <param name="Issued">When it was issued (also its first use).</param>
public sealed record SaveTokenWrite(string TokenHash, string Identity, DateTimeOffset Issued) : StoreWrite;

/// <summary>Records that a token signed in; its last use only moves forward.</summary>
/// <param name="TokenHash">The token's hash.</param>
/// <param name="Used">When it signed in.</param>
public sealed record TouchTokenWrite(string TokenHash, DateTimeOffset Used) : StoreWrite;

/// <summary>Forgets a token: it signs in no more.</summary>
/// <param name="TokenHash">The token's hash.</param>
public sealed record RevokeTokenWrite(string TokenHash) : StoreWrite;

/// <summary>Forgets every token last used before <paramref name="Before"/>; <see cref="Deleted"/> says how many.</summary>
/// <param name="Before">The oldest last use kept.</param>
public sealed record DeleteTokensUnusedSinceWrite(DateTimeOffset Before) : StoreWrite
{
    /// <summary>How many tokens were forgotten.</summary>
    public int Deleted { get; set; }
}

/// <summary>
/// Makes sure a room exists, creating it under its skeleton unless a room that looks like it exists;
/// <see cref="Holder"/> is the room that holds the skeleton: the room itself, or the lookalike.
/// </summary>
/// <param name="Room">The room, canonical form.</param>
/// <param name="Skeleton">Its confusable skeleton.</param>
/// <param name="Created">When it is created, if it is.</param>
public sealed record ClaimRoomWrite(string Room, string Skeleton, DateTimeOffset Created) : StoreWrite
{
    /// <summary>The room that holds the skeleton.</summary>
    public string? Holder { get; set; }
}

/// <summary>Frees a room without messages (nobody is in it any more): its name and look are free again. A room with messages stays.</summary>
/// <param name="Room">The room.</param>
public sealed record ForgetRoomWrite(string Room) : StoreWrite;

/// <summary>Stores the skeleton of a room created before rooms had them.</summary>
/// <param name="Room">The room.</param>
/// <param name="Skeleton">Its skeleton.</param>
public sealed record SetRoomSkeletonWrite(string Room, string Skeleton) : StoreWrite;
