using Parley.Server.Core;
using Parley.Server.Storage;

namespace Parley.Server.Tests.Storage;

/// <summary>A pending message whose outcome a test can await.</summary>
public sealed class TestMessage : QueuedMessage
{
    private readonly TaskCompletionSource<StoredMessage> outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Runs on the commit pipeline's thread before <see cref="Stored"/> completes.</summary>
    public Action<StoredMessage>? BeforeCompletion { get; init; }

    /// <summary>Makes <see cref="OnCommitted"/> throw once it has done its work, as a buggy callback would.</summary>
    public bool ThrowsAfterCommit { get; init; }

    /// <summary>The message as stored; faults with the store's error if it could not be stored.</summary>
    public Task<StoredMessage> Stored => outcome.Task;

    public override void OnCommitted(StoredMessage message, DeliveryBatch deliveries)
    {
        BeforeCompletion?.Invoke(message);
        outcome.TrySetResult(message);
        if (ThrowsAfterCommit)
        {
            throw new InvalidOperationException("A callback that throws, on purpose.");
        }
    }

    public override void OnFailed(Exception error) => outcome.TrySetException(error);
}
