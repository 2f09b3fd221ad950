using Parley.Protocol;
using Parley.Server.Storage;

namespace Parley.Server.Core;

/// <summary>
/// One accepted <c>send</c> on its way through the store: on commit it acks the sender (and any
/// resend of the same id that arrived meanwhile) and hands the message to the fan-out.
/// </summary>
public sealed class SendOperation : QueuedMessage
{
    private readonly ChatServer _server;
    private readonly long _receivedAt;
    // one lock for every operation: taken once per commit on the store's writer and by the rare
    // resend of an id still in flight; a lock of its own would be an allocation per send
    private static readonly Lock s_waitersLock = new();
    private List<ClientSession>? _waiters;
    private StoredMessage? _result;
    private bool _failed;

    /// <summary>Creates the operation for a validated send.</summary>
    public SendOperation(ChatServer server, ClientSession sender, long receivedAt)
    {
        _server = server;
        Sender = sender;
        _receivedAt = receivedAt;
    }

    /// <summary>The session that sent it.</summary>
    public ClientSession Sender { get; }

    /// <summary>What the idempotency ledger keeps of <see cref="PendingMessage.ClientId"/>: <see cref="IdempotencyLedger.DigestOf"/>.</summary>
    public required UInt128 IdDigest { get; init; }

    /// <summary>
    /// Adds a session that resent this id while it was in flight. Returns the stored message when
    /// the operation has already committed (the caller acks at once), else null.
    /// </summary>
    public StoredMessage? AddWaiter(ClientSession session, out bool failed)
    {
        lock (s_waitersLock)
        {
            failed = _failed;
            if (_result is null && !_failed)
            {
                (_waiters ??= []).Add(session);
            }
            return _result;
        }
    }

    /// <inheritdoc />
    public override void OnCommitted(StoredMessage message, DeliveryBatch deliveries)
    {
        _server.Ledger.Complete(this, message);
        List<ClientSession>? waiters;
        lock (s_waitersLock)
        {
            _result = message;
            waiters = _waiters;
        }
        _server.Metrics.Acked(_server.Time.GetElapsedTime(_receivedAt));
        var ack = FrameCodec.AckToBytes(ClientId, message.Seq, message.Ts);
        Sender.Connection.Enqueue(ack, deliveries);
        if (waiters is not null)
        {
            foreach (var waiter in waiters)
            {
                waiter.Connection.Enqueue(ack, deliveries);
            }
        }
        _server.Fanout.PublishMessage(message, deliveries);
    }

    /// <inheritdoc />
    public override void OnFailed(Exception error)
    {
        _server.Ledger.Abandon(this);
        List<ClientSession>? waiters;
        lock (s_waitersLock)
        {
            _failed = true;
            waiters = _waiters;
        }
        var correlation = Sender.NewCorrelation();
        Sender.LogStoreFailed(correlation, error);
        Sender.Fail(ClientId, ErrorCodes.InternalError, $"The message could not be stored; it was not delivered. Send it again. (correlation {correlation})");
        if (waiters is not null)
        {
            foreach (var waiter in waiters)
            {
                waiter.Fail(ClientId, ErrorCodes.InternalError, $"The message could not be stored; it was not delivered. Send it again. (correlation {correlation})");
            }
        }
    }
}
