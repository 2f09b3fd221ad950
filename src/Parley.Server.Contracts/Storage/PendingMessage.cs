namespace Parley.Server.Storage;

/// <summary>
/// A message on its way into the store: what the engine writes. The core subclasses it with what to
/// do on the outcome, so that the hot path needs no extra allocation per message.
/// </summary>
public abstract class PendingMessage
{
    /// <summary>The conversation the message belongs to.</summary>
    public required string ConversationKey { get; init; }

    /// <summary>The sender's identity (for idempotency look-ups).</summary>
    public required string SenderKey { get; init; }

    /// <summary>
    /// For a direct message, the recipient's identity: the store lists the conversation under both
    /// parties (<see cref="IStoreQueries.ListDirectConversationsAsync"/>). Null for a room.
    /// </summary>
    public string? RecipientKey { get; init; }

    /// <summary>The sender's name as shown.</summary>
    public required string From { get; init; }

    /// <summary>The room, or for a direct message the recipient's name as shown.</summary>
    public required string To { get; init; }

    /// <summary>The text.</summary>
    public required string Text { get; init; }

    /// <summary>The <c>id</c> the client gave the <c>send</c>.</summary>
    public required string ClientId { get; init; }
}
