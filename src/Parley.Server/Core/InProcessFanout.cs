using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Server.Diagnostics;
using Parley.Server.Storage;

namespace Parley.Server.Core;

/// <summary>
/// Fan-out within one server: a message is serialized once and the same bytes are queued for every
/// member connected here.
/// </summary>
public sealed class InProcessFanout(RoomRegistry rooms, SessionRegistry sessions, ParleyMetrics metrics) : IFanout
{
    /// <inheritdoc />
    public void PublishMessage(StoredMessage message, DeliveryBatch deliveries) => Deliver(message, deliveries);

    /// <summary>
    /// Delivers a committed message to the members on this server, with <paramref name="deliveries"/> when
    /// it comes from this server's commit, or without (their writers start at once) when it comes from another node.
    /// </summary>
    public void Deliver(StoredMessage message, DeliveryBatch? deliveries)
    {
        var senderKey = message.SenderKey;
        var bytes = FrameCodec.MessageToBytes(message.Seq, message.To, message.From, message.Text, message.Ts);
        if (Names.IsRoom(message.ConversationKey))
        {
            var room = rooms.Find(message.ConversationKey);
            if (room is null)
            {
                return;
            }
            var delivered = 0;
            foreach (var member in room.Advance(message.Seq))
            {
                if (!string.Equals(member.Identity, senderKey, StringComparison.Ordinal))
                {
                    member.DeliverMessage(bytes, message.ConversationKey, message.Seq, deliveries);
                    delivered++;
                }
            }
            metrics.Delivered(delivered);
            return;
        }
        var recipientKey = ConversationKeys.OtherParty(message.ConversationKey, senderKey);
        if (recipientKey is not null && !string.Equals(recipientKey, senderKey, StringComparison.Ordinal)
            && sessions.FindOnline(recipientKey) is { } recipient)
        {
            recipient.DeliverMessage(bytes, message.ConversationKey, message.Seq, deliveries);
            metrics.Delivered(1);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public void PublishPresence(string room, string user, string userKey, string presenceEvent, DateTimeOffset ts) =>
        PublishPresence(room, user, userKey, presenceEvent, ts, skip: null);

    /// <summary>As <see cref="PublishPresence(string, string, string, string, DateTimeOffset)"/>, passing over the members <paramref name="skip"/> names.</summary>
    public void PublishPresence(string room, string user, string userKey, string presenceEvent, DateTimeOffset ts, Func<ClientSession, bool>? skip)
    {
        var members = rooms.Find(room)?.Members;
        if (members is null || members.Length == 0)
        {
            return;
        }
        var bytes = FrameCodec.ToBytes(new PresenceFrame { Room = room, User = user, Event = presenceEvent, Ts = ts });
        foreach (var member in members)
        {
            if (!string.Equals(member.UserKey, userKey, StringComparison.Ordinal) && skip?.Invoke(member) != true)
            {
                member.DeliverEvent(bytes);
            }
        }
    }
}
