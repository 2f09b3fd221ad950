using System.Globalization;

namespace Parley.Tui.State;

/// <summary>
/// One line of a conversation: a message (someone else's, or one's own with its acknowledgment state) or a
/// notice. Own messages change state as their ack or error arrives; everything else is fixed.
/// </summary>
internal sealed class ChatLine
{
    private ChatLine(ChatLineStatus status, string conversation, string? sender, string text, DateTimeOffset time)
    {
        Status = status;
        Conversation = conversation;
        Sender = sender;
        Text = text;
        Time = time;
    }

    /// <summary>What the line is now.</summary>
    public ChatLineStatus Status { get; private set; }

    /// <summary>The conversation the line belongs to.</summary>
    public string Conversation { get; }

    /// <summary>Who wrote it; null for a notice.</summary>
    public string? Sender { get; }

    /// <summary>The text.</summary>
    public string Text { get; }

    /// <summary>The server's time for messages (for a pending one, the moment it was sent); the client's for notices.</summary>
    public DateTimeOffset Time { get; private set; }

    /// <summary>The message's seq in its conversation, once known.</summary>
    public long? Seq { get; private set; }

    /// <summary>Why the server refused it (the code and the server's sentence).</summary>
    public string? Error { get; private set; }

    /// <summary>For a notice: what kind it is.</summary>
    public NoticeKind Kind { get; private init; }

    /// <summary>A message from someone else.</summary>
    public static ChatLine Received(string conversation, string sender, string text, DateTimeOffset ts, long seq) =>
        new(ChatLineStatus.Received, conversation, sender, text, ts) { Seq = seq };

    /// <summary>One's own message, just sent.</summary>
    public static ChatLine Pending(string conversation, string self, string text, DateTimeOffset now) =>
        new(ChatLineStatus.Pending, conversation, self, text, now);

    /// <summary>A line of the client's own.</summary>
    public static ChatLine Notice(string conversation, string text, DateTimeOffset now, NoticeKind kind = NoticeKind.Info) =>
        new(ChatLineStatus.Notice, conversation, null, text, now) { Kind = kind };

    /// <summary>The ack came: the message is stored as <paramref name="seq"/> at the server's <paramref name="ts"/>.</summary>
    public void MarkDelivered(long seq, DateTimeOffset ts)
    {
        Status = ChatLineStatus.Delivered;
        Seq = seq;
        Time = ts;
        Error = null;
    }

    /// <summary>The message is being sent again.</summary>
    public void MarkPending()
    {
        Status = ChatLineStatus.Pending;
        Error = null;
    }

    /// <summary>The server refused the message, or it could not be sent.</summary>
    public void MarkRefused(string reason)
    {
        Status = ChatLineStatus.Refused;
        Error = reason;
    }

    /// <summary>
    /// The line as the window shows it: local time, the state of an own message (… pending, ✓ delivered,
    /// ✗ refused), sender, text.
    /// </summary>
    public string Render(TimeZoneInfo zone)
    {
        var time = TimeZoneInfo.ConvertTime(Time, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        return Status switch
        {
            ChatLineStatus.Notice => $"{time} * {Text}",
            ChatLineStatus.Pending => $"{time} … <{Sender}> {Text}",
            ChatLineStatus.Delivered => $"{time} ✓ <{Sender}> {Text}",
            ChatLineStatus.Refused => $"{time} ✗ <{Sender}> {Text}  [not delivered: {Error}; Enter on this line retries]",
            _ => $"{time}   <{Sender}> {Text}",
        };
    }
}
