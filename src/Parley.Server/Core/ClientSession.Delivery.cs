namespace Parley.Server.Core;

public sealed partial class ClientSession
{
    private readonly Lock _deliveryLock = new();
    // live frames that arrive between joining rooms in hello and the end of the resume replay
    private List<(byte[] Bytes, string? Conversation, long Seq)>? _held = [];

    /// <summary>Queues a committed message for this client (called by the fan-out, any thread), with the commit's <paramref name="deliveries"/> if it has them.</summary>
    public void DeliverMessage(byte[] bytes, string conversationKey, long seq, DeliveryBatch? deliveries = null)
    {
        if (_held is not null && Hold(bytes, conversationKey, seq))
        {
            return;
        }
        Connection.Enqueue(bytes, deliveries);
    }

    /// <summary>Queues a presence event for this client (called by the fan-out, any thread).</summary>
    public void DeliverEvent(byte[] bytes)
    {
        if (_held is not null && Hold(bytes, null, 0))
        {
            return;
        }
        Connection.Enqueue(bytes);
    }

    private bool Hold(byte[] bytes, string? conversation, long seq)
    {
        lock (_deliveryLock)
        {
            if (_held is null)
            {
                return false;
            }
            _held.Add((bytes, conversation, seq));
            return true;
        }
    }

    /// <summary>
    /// Ends the hold: queues what arrived live during the replay, skipping messages the replay
    /// already sent, so that the client sees every message once and in order.
    /// </summary>
    private void ReleaseHeld(Dictionary<string, long>? replayedUpTo)
    {
        lock (_deliveryLock)
        {
            foreach (var (bytes, conversation, seq) in _held!)
            {
                if (conversation is not null && replayedUpTo is not null
                    && replayedUpTo.TryGetValue(conversation, out var last) && seq <= last)
                {
                    continue;
                }
                Connection.Enqueue(bytes);
            }
            _held = null;
        }
    }
}
