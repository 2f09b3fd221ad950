using Parley.Server.Core;

namespace Parley.Server.Storage;

/// <summary>A message queued for the commit pipeline, with what to do on its outcome.</summary>
public abstract class QueuedMessage : PendingMessage
{
    /// <summary>
    /// Runs after the message's commit, on the pipeline's thread, in <c>seq</c> order per conversation.
    /// Frames it queues go with <paramref name="deliveries"/>, whose writers start once the whole
    /// commit is handed out. Must not block and must not throw.
    /// </summary>
    public abstract void OnCommitted(StoredMessage message, DeliveryBatch deliveries);

    /// <summary>Runs when the message could not be stored; it has no <c>seq</c> and was not delivered. Must not throw.</summary>
    public abstract void OnFailed(Exception error);
}
