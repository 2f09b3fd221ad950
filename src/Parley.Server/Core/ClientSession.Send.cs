using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Server.Storage;

namespace Parley.Server.Core;

public sealed partial class ClientSession
{
    private bool _probedStore;

    /// <remarks>
    /// Does not wait for the commit: the store acks through <see cref="SendOperation"/>, so a client
    /// may have many sends in flight and the read loop keeps going. Sends of one connection reach the
    /// store in the order they were read, which keeps their seq order.
    /// </remarks>
    private async ValueTask SendAsync(SendFrame send, long receivedAt)
    {
        var id = send.Id!;
        var idDigest = IdempotencyLedger.DigestOf(id);
        // a repeated id gets its original ack before any validation or flow control
        if (await TryAckRepeatAsync(id, idDigest).ConfigureAwait(false))
        {
            return;
        }
        if (await ResolveConversationAsync(id, send.To!).ConfigureAwait(false) is not { } conversation)
        {
            return;
        }
        if (conversation.IsRoom && !_rooms.Contains(conversation.Key))
        {
            Fail(id, ErrorCodes.NotInRoom, $"Join {conversation.Key} before sending to it.");
            return;
        }
        if (conversation is { IsRoom: false, Recipient: null })
        {
            Fail(id, ErrorCodes.NoSuchUser, $"Nobody called {conversation.ShownAs} is online or registered.");
            return;
        }
        var text = send.Text!;
        switch (TextRules.Check(text))
        {
            case ErrorCodes.InvalidField:
                Fail(id, ErrorCodes.InvalidField, "A text may not hold control characters other than newline and tab.");
                return;
            case ErrorCodes.EmptyText:
                Fail(id, ErrorCodes.EmptyText, "The text is blank.");
                return;
            case ErrorCodes.TextTooLong:
                Fail(id, ErrorCodes.TextTooLong, $"A text may be at most {ProtocolLimits.MaxTextLength} characters.");
                return;
        }
        if (_sendBucket is not null && !_sendBucket.TryTake(out var retryAfterMs))
        {
            Fail(id, ErrorCodes.RateLimited, "You are sending too fast; nothing was stored. Wait and send again.", retryAfterMs);
            return;
        }

        var operation = new SendOperation(_server, this, receivedAt)
        {
            ConversationKey = conversation.Key,
            SenderKey = Identity!,
            RecipientKey = conversation.Recipient,
            From = User!,
            To = conversation.ShownAs,
            Text = text,
            ClientId = id,
            IdDigest = idDigest,
        };
        if (!_server.Ledger.TryBegin(operation, out var inFlight, out var acked))
        {
            if (acked is { } ack)
            {
                // the original committed while this send was being checked
                ReplyAck(id, ack.Seq, ack.Ts);
            }
            else
            {
                AckWhenCommitted(inFlight!, id);
            }
            return;
        }
        _server.Store.Append(operation);
    }

    private async ValueTask<bool> TryAckRepeatAsync(string id, UInt128 idDigest)
    {
        var ledger = _server.Ledger;
        var identity = Identity!;
        var original = ledger.FindRecent(identity, idDigest);
        if (original is null && !ledger.IsKnownNew(identity))
        {
            var notBefore = _server.Time.GetUtcNow() - _server.Options.IdempotencyWindow;
            // once per session: a user with nothing stored in the window needs no look-up per send
            if (!_probedStore)
            {
                _probedStore = true;
                ledger.BeginProbe(identity);
                ledger.EndProbe(identity, await _server.Store.HasSentSinceAsync(identity, notBefore).ConfigureAwait(false));
            }
            if (!ledger.IsKnownNew(identity)
                && await _server.Store.FindAckAsync(identity, id, notBefore).ConfigureAwait(false) is { } stored)
            {
                original = new AckRecord(stored.Seq, stored.Ts);
            }
        }
        if (original is not { } ack)
        {
            return false;
        }
        ReplyAck(id, ack.Seq, ack.Ts);
        return true;
    }

    private void AckWhenCommitted(SendOperation inFlight, string id)
    {
        var committed = inFlight.AddWaiter(this, out var failed);
        if (committed is not null)
        {
            ReplyAck(id, committed.Seq, committed.Ts);
        }
        else if (failed)
        {
            Fail(id, ErrorCodes.InternalError, "The message could not be stored; it was not delivered. Send it again.");
        }
    }

    private void ReplyAck(string id, long seq, DateTimeOffset ts) => Connection.Enqueue(FrameCodec.AckToBytes(id, seq, ts));

    /// <summary>
    /// Reads a <c>to</c>: a room in canonical form, or a person (the direct conversation with their
    /// identity; <see cref="Conversation.Recipient"/> is null when nobody goes by that name). Refuses, with
    /// the right code, a name that is neither; then returns null.
    /// </summary>
    /// <remarks>Completes at once for a room: the send path of a room asks nobody.</remarks>
    private ValueTask<Conversation?> ResolveConversationAsync(string? id, string to)
    {
        if (Names.IsRoom(to))
        {
            if (!Names.TryNormalizeRoom(to, out var room))
            {
                Fail(id, ErrorCodes.InvalidRoom, "A room is '#' and 1 to 32 letters, digits, '_', '-' or '.', starting with a letter or digit.");
                return ValueTask.FromResult<Conversation?>(null);
            }
            return ValueTask.FromResult<Conversation?>(new Conversation(ConversationKeys.ForRoom(room), room, null));
        }
        if (!Names.TryNormalizeUser(to, out _, out _) && !LegacyNames.TryNormalizeUser(to, out _))
        {
            Fail(id, ErrorCodes.InvalidField, "\"to\" must be a room (#name) or a username.");
            return ValueTask.FromResult<Conversation?>(null);
        }
        return ResolvePersonAsync(to);
    }

    private async ValueTask<Conversation?> ResolvePersonAsync(string name) =>
        await FindPersonAsync(name).ConfigureAwait(false) is { } other
            ? new Conversation(ConversationKeys.ForDirect(Identity!, other.Identity), other.Name, other.Identity)
            : new Conversation(string.Empty, name, null);

    /// <summary>
    /// A person by name: whoever holds the name now (online, or a guest in its grace period, on any node),
    /// else the account registered under it; null when nobody goes by it.
    /// </summary>
    private async ValueTask<(string Identity, string Name)?> FindPersonAsync(string name)
    {
        if (Names.TryNormalizeUser(name, out _, out var key))
        {
            if (key == Holder!.NameKey)
            {
                return (Identity!, User!);
            }
            if (await _server.Users.FindAsync(Names.SkeletonOf(key)).ConfigureAwait(false) is { } held && held.NameKey == key)
            {
                return (held.Identity, held.Name);
            }
            return await _server.Store.FindAccountAsync(key).ConfigureAwait(false) is { } account ? (account.Identity, account.Name) : null;
        }
        return LegacyNames.TryNormalizeUser(name, out var legacyKey)
            && await _server.Store.FindAccountAsync(legacyKey).ConfigureAwait(false) is { } legacy
            ? (legacy.Identity, legacy.Name)
            : null;
    }

    /// <summary>A conversation a frame names.</summary>
    /// <param name="Key">Its key in storage; empty for a person nobody is.</param>
    /// <param name="ShownAs">The room, or the other party's name as shown.</param>
    /// <param name="Recipient">For a direct conversation, the other party's identity; null for a room or nobody.</param>
    private readonly record struct Conversation(string Key, string ShownAs, string? Recipient)
    {
        public bool IsRoom => Names.IsRoom(Key);
    }
}
