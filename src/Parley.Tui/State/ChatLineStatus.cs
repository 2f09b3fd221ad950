namespace Parley.Tui.State;

/// <summary>Where a line of a conversation stands.</summary>
internal enum ChatLineStatus
{
    /// <summary>A message from someone else, as the server delivered it.</summary>
    Received,
    /// <summary>One's own message, sent and not yet acknowledged.</summary>
    Pending,
    /// <summary>One's own message, acknowledged: it is stored with the server's time.</summary>
    Delivered,
    /// <summary>One's own message, refused by the server (or never acknowledged); it can be retried.</summary>
    Refused,
    /// <summary>A line of the client's own: a presence, the answer to a command, an error.</summary>
    Notice,
}
