using Parley.Protocol.Frames;

namespace Parley.Client.Internal;

/// <summary>A <c>send</c> written or waiting to be written, until its <c>ack</c> or <c>error</c> comes.</summary>
internal sealed class PendingSend
{
    private readonly TaskCompletionSource<AckFrame> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PendingSend(string id, string to, string text)
    {
        Frame = new SendFrame { Id = id, To = to, Text = text };
    }

    /// <summary>The frame, written again as it is (same id) after every reconnect.</summary>
    public SendFrame Frame { get; }

    public string Id => Frame.Id!;

    public string To => Frame.To!;

    public Task<AckFrame> Task => _done.Task;

    public void Acknowledge(AckFrame ack) => _done.TrySetResult(ack);

    public void Fail(Exception error) => _done.TrySetException(error);

    public void Cancel(CancellationToken cancellationToken) => _done.TrySetCanceled(cancellationToken);
}
