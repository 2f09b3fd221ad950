namespace Parley.Server.Core;

/// <summary>Names a conversation for storage: a room by its canonical name, a direct conversation by its two users.</summary>
public static class ConversationKeys
{
    /// <summary>The key of a room (already canonical, <c>#name</c>).</summary>
    public static string ForRoom(string room) => room;

    /// <summary>The key of the direct conversation between two user keys, the same whoever asks.</summary>
    public static string ForDirect(string userKeyA, string userKeyB) =>
        string.CompareOrdinal(userKeyA, userKeyB) <= 0 ? $"dm:{userKeyA}:{userKeyB}" : $"dm:{userKeyB}:{userKeyA}";
}
