using System.Text.Json;
using Microsoft.Extensions.Logging;
using Parley.Server.Cluster;
using Parley.Server.Storage;

namespace Parley.Server.Core.Cluster;

/// <summary>
/// Fan-out across nodes: members on this node get a message directly, never through the backplane;
/// the message is also published once, and every other node hands it to its own members. Each node
/// delivers every conversation in <c>seq</c> order through a <see cref="ConversationSequencer"/>,
/// which fills gaps from the store, and after a backplane outage reads what was missed.
/// </summary>
public sealed partial class ClusterFanout : IFanout
{
    private readonly IClusterBackplane _backplane;
    private readonly InProcessFanout _local;
    private readonly ConversationSequencer _sequencer;
    private readonly ILogger<ClusterFanout> _logger;
    private readonly JoinsInFlight _joinsInFlight;
    private readonly Diagnostics.ParleyMetrics _metrics;

    /// <summary>Creates the fan-out over this node's rooms and sessions and the cluster's backplane.</summary>
    public ClusterFanout(
        IClusterBackplane backplane, InProcessFanout local, IChatStore store, RoomRegistry rooms, TimeProvider time,
        Diagnostics.ParleyMetrics metrics, ILogger<ClusterFanout> logger)
    {
        ArgumentNullException.ThrowIfNull(backplane);
        _backplane = backplane;
        _joinsInFlight = new JoinsInFlight(time);
        _local = local;
        _metrics = metrics;
        _logger = logger;
        _sequencer = new ConversationSequencer(store, rooms, local, error => LogFillFailed(error));
    }

    /// <summary>Connects the backplane and starts hearing the other nodes.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) =>
        _backplane.StartAsync(OnPublished, OnReconnected, cancellationToken);

    /// <inheritdoc />
    public void PublishMessage(StoredMessage message, DeliveryBatch deliveries)
    {
        ArgumentNullException.ThrowIfNull(message);
        _sequencer.Offer(message, deliveries);
        // a room's nodes hear it on the room's topic; a direct message, the recipient's nodes on the recipient's
        var topic = Protocol.Names.IsRoom(message.ConversationKey)
            ? FeedTopics.Room(message.ConversationKey)
            : FeedTopics.User(ConversationKeys.OtherParty(message.ConversationKey, message.SenderKey) ?? message.SenderKey);
        Publish(topic, new ClusterEnvelope
        {
            Node = _backplane.NodeName,
            Conversation = message.ConversationKey,
            UserKey = message.SenderKey,
            Ts = message.Ts.ToUnixTimeMilliseconds(),
            Seq = message.Seq,
            From = message.From,
            To = message.To,
            Text = message.Text,
        });
    }

    /// <inheritdoc />
    public void BeforeJoin(string room, string userKey) => _joinsInFlight.Add(room, userKey);

    /// <inheritdoc />
    public void PublishPresence(string room, string user, string userKey, string presenceEvent, DateTimeOffset ts)
    {
        var join = presenceEvent == Protocol.Frames.PresenceEvents.Join;
        _local.PublishPresence(room, user, userKey, presenceEvent, ts);
        _backplane.SetRoomMember(room, userKey, user, present: join);
        var published = Publish(FeedTopics.Room(room), new ClusterEnvelope
        {
            Node = _backplane.NodeName,
            Conversation = room,
            UserKey = userKey,
            Ts = ts.ToUnixTimeMilliseconds(),
            From = user,
            PresenceEvent = presenceEvent,
        });
        if (join && !published)
        {
            // no envelope will come back
            _joinsInFlight.Remove(room, userKey);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _backplane.DisposeAsync();

    private bool Publish(string topic, ClusterEnvelope envelope)
    {
        // Not reachable: the message is committed and reaches the other nodes' members from the
        // store, when the next message shows them the gap or when the backplane comes back.
        return _backplane.Publish(topic, JsonSerializer.SerializeToUtf8Bytes(envelope, ClusterJsonContext.Default.ClusterEnvelope));
    }

    private void OnPublished(byte[] payload)
    {
        // what each node hears: only its topics' envelopes, so adding nodes adds capacity
        _metrics.EnvelopeReceived();
        ClusterEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(payload, ClusterJsonContext.Default.ClusterEnvelope);
        }
        catch (JsonException error)
        {
            LogBadEnvelope(error);
            return;
        }
        if (envelope is null)
        {
            return;
        }
        if (string.Equals(envelope.Node, _backplane.NodeName, StringComparison.Ordinal))
        {
            if (envelope.PresenceEvent == Protocol.Frames.PresenceEvents.Join)
            {
                _joinsInFlight.Remove(envelope.Conversation, envelope.UserKey);
            }
            return;
        }
        var ts = DateTimeOffset.FromUnixTimeMilliseconds(envelope.Ts);
        if (envelope.PresenceEvent is { } presenceEvent)
        {
            var room = envelope.Conversation;
            _local.PublishPresence(room, envelope.From, envelope.UserKey, presenceEvent, ts, member => _joinsInFlight.Contains(room, member.UserKey!));
            return;
        }
        _sequencer.Offer(new StoredMessage(envelope.Conversation, envelope.Seq, ts, envelope.UserKey, envelope.From, envelope.To ?? "", envelope.Text ?? ""));
    }

    private void OnReconnected()
    {
        LogReconnected(_backplane.NodeName);
        _joinsInFlight.Clear();
        _ = CatchUpAsync();
    }

    private async Task CatchUpAsync()
    {
        try
        {
            await _sequencer.CatchUpAsync().ConfigureAwait(false);
        }
        catch (Exception error)
        {
            LogFillFailed(error);
        }
    }

    [LoggerMessage(EventId = Diagnostics.ParleyEventIds.ClusterGapFillFailed, Level = LogLevel.Warning, Message = "Reading missed messages from the store failed; trying again")]
    private partial void LogFillFailed(Exception error);

    [LoggerMessage(EventId = Diagnostics.ParleyEventIds.ClusterBadEnvelope, Level = LogLevel.Warning, Message = "A payload on the cluster backplane was not a Parley envelope; ignored")]
    private partial void LogBadEnvelope(Exception error);

    [LoggerMessage(EventId = Diagnostics.ParleyEventIds.ClusterReconnected, Level = LogLevel.Information, Message = "Node {Node} reached the cluster backplane again; catching up on missed messages from the store")]
    private partial void LogReconnected(string node);
}
