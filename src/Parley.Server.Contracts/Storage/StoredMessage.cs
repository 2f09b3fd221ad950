namespace Parley.Server.Storage;

/// <summary>A message as stored: sequenced, timestamped and durable.</summary>
/// <param name="ConversationKey">The conversation.</param>
/// <param name="Seq">Its place in the conversation, from 1, without gaps.</param>
/// <param name="Ts">When it was sequenced, to the millisecond, UTC.</param>
/// <param name="From">The sender's name as shown.</param>
/// <param name="To">The room, or the recipient's name as shown.</param>
/// <param name="Text">The text.</param>
public sealed record StoredMessage(string ConversationKey, long Seq, DateTimeOffset Ts, string From, string To, string Text);

/// <summary>A page of history, oldest first.</summary>
/// <param name="Messages">The messages, oldest first.</param>
/// <param name="More">Whether more exist in the paging direction.</param>
public sealed record HistoryPage(IReadOnlyList<StoredMessage> Messages, bool More);

/// <summary>A registered name.</summary>
/// <param name="UserKey">The name's comparison key.</param>
/// <param name="Name">The name as registered (NFC).</param>
/// <param name="PasswordHash">The encoded password hash (the server core's <c>PasswordHasher</c> format).</param>
/// <param name="Rooms">The rooms it is a member of, canonical form.</param>
public sealed record Account(string UserKey, string Name, string PasswordHash, IReadOnlyList<string> Rooms);
