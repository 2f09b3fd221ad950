namespace Parley.Server.Core;

/// <summary>Names a conversation for storage: a room by its canonical name, a direct conversation by its two users.</summary>
public static class ConversationKeys
{
    /// <summary>The key of a room (already canonical, <c>#name</c>).</summary>
    public static string ForRoom(string room) => room;

    /// <summary>The key of the direct conversation between two user keys, the same whoever asks.</summary>
    public static string ForDirect(string userKeyA, string userKeyB) =>
        string.CompareOrdinal(userKeyA, userKeyB) <= 0 ? $"dm:{userKeyA}:{userKeyB}" : $"dm:{userKeyB}:{userKeyA}";

    /// <summary>The other user key of a direct conversation key, or null if the key is not one of <paramref name="userKey"/>'s.</summary>
    public static string? OtherParty(string conversationKey, string userKey)
    {
        if (!conversationKey.StartsWith("dm:", StringComparison.Ordinal))
        {
            return null;
        }
        var rest = conversationKey.AsSpan(3);
        var colon = rest.IndexOf(':');
        if (colon < 0)
        {
            return null;
        }
        var a = rest[..colon].ToString();
        var b = rest[(colon + 1)..].ToString();
        return string.Equals(a, userKey, StringComparison.Ordinal) ? b : string.Equals(b, userKey, StringComparison.Ordinal) ? a : null;
    }
}
