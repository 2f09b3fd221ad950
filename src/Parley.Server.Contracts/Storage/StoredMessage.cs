namespace Parley.Server.Storage;

/// <summary>A message as stored: sequenced, timestamped and durable.</summary>
/// <param name="ConversationKey">The conversation.</param>
/// <param name="Seq">Its place in the conversation, from 1, without gaps.</param>
/// <param name="Ts">When it was sequenced, to the millisecond, UTC.</param>
/// <param name="SenderKey">The sender's identity (an account's or a guest's), never shown to clients.</param>
/// <param name="From">The sender's name as shown.</param>
/// <param name="To">The room, or the recipient's name as shown.</param>
/// <param name="Text">The text.</param>
public sealed record StoredMessage(string ConversationKey, long Seq, DateTimeOffset Ts, string SenderKey, string From, string To, string Text);

/// <summary>A page of history, oldest first.</summary>
/// <param name="Messages">The messages, oldest first.</param>
/// <param name="More">Whether more exist in the paging direction.</param>
public sealed record HistoryPage(IReadOnlyList<StoredMessage> Messages, bool More);

/// <summary>A registered name.</summary>
/// <param name="Identity">The identity the account stands for: never reused, whatever becomes of the name.</param>
/// <param name="UserKey">The name's comparison key.</param>
/// <param name="Skeleton">The name's confusable skeleton: no other name with it may be held.</param>
/// <param name="Name">The name as registered (NFC).</param>
/// <param name="PasswordHash">The encoded password hash (the server core's <c>PasswordHasher</c> format).</param>
/// <param name="Rooms">The rooms it is a member of, canonical form.</param>
public sealed record Account(string Identity, string UserKey, string Skeleton, string Name, string PasswordHash, IReadOnlyList<string> Rooms);

/// <summary>An account's name as stored, for bringing stored keys up to the current name rules.</summary>
/// <param name="Identity">The account's identity.</param>
/// <param name="UserKey">The comparison key stored.</param>
/// <param name="Skeleton">The skeleton stored, empty before the name rules of version 2.</param>
/// <param name="Name">The name as registered.</param>
/// <param name="NameRules">The version of the name rules the key and skeleton were computed by.</param>
public sealed record AccountName(string Identity, string UserKey, string Skeleton, string Name, int NameRules);

/// <summary>An identity token the server knows, by the hash it keeps of it.</summary>
/// <param name="Identity">The account identity it signs in as.</param>
/// <param name="LastUsed">When it was last used to sign in (or issued).</param>
public sealed record IdentityToken(string Identity, DateTimeOffset LastUsed);

/// <summary>A direct conversation as one of its two parties sees it.</summary>
/// <param name="ConversationKey">The conversation.</param>
/// <param name="OtherIdentity">The other party's identity.</param>
/// <param name="OtherName">The other party's name as shown (an account's name as registered).</param>
/// <param name="OtherIsAccount">True when the other party is an account, which outlives its connections; a guest lasts only while it holds its name.</param>
/// <param name="LastSeq">The conversation's newest <c>seq</c>.</param>
/// <param name="LastTs">When its newest message was sequenced.</param>
public sealed record DirectConversation(string ConversationKey, string OtherIdentity, string OtherName, bool OtherIsAccount, long LastSeq, DateTimeOffset LastTs);
