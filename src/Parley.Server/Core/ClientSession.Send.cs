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
        if (!TryResolveConversation(send.Id, send.To!, out var conversationKey, out var to))
        {
            return;
        }
        if (Names.IsRoom(conversationKey) && !_rooms.Contains(conversationKey))
        {
            Fail(id, ErrorCodes.NotInRoom, $"Join {conversationKey} before sending to it.");
            return;
        }
        if (!Names.IsRoom(conversationKey))
        {
            if (await RecipientShownAsAsync(conversationKey, to).ConfigureAwait(false) is not { } recipient)
            {
                Fail(id, ErrorCodes.NoSuchUser, $"Nobody called {to} is online or registered.");
                return;
            }
            to = recipient;
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
            ConversationKey = conversationKey,
            SenderKey = UserKey!,
            From = User!,
            To = to,
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
        var original = ledger.FindRecent(UserKey!, idDigest);
        if (original is null && !ledger.IsKnownNew(UserKey!))
        {
            var notBefore = _server.Time.GetUtcNow() - _server.Options.IdempotencyWindow;
            // once per session: a user with nothing stored in the window needs no look-up per send
            if (!_probedStore)
            {
                _probedStore = true;
                ledger.BeginProbe(UserKey!);
                ledger.EndProbe(UserKey!, await _server.Store.HasSentSinceAsync(UserKey!, notBefore).ConfigureAwait(false));
            }
            if (!ledger.IsKnownNew(UserKey!)
                && await _server.Store.FindAckAsync(UserKey!, id, notBefore).ConfigureAwait(false) is { } stored)
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
    /// Reads a <c>to</c>: a room in canonical form, or a user (the direct conversation with them).
    /// Refuses, with the right code, a name that is neither.
    /// </summary>
    private bool TryResolveConversation(string? id, string to, out string conversationKey, out string shownAs)
    {
        conversationKey = shownAs = string.Empty;
        if (Names.IsRoom(to))
        {
            if (!Names.TryNormalizeRoom(to, out var room))
            {
                Fail(id, ErrorCodes.InvalidRoom, "A room is '#' and 1 to 32 letters, digits, '_', '-' or '.', starting with a letter or digit.");
                return false;
            }
            conversationKey = ConversationKeys.ForRoom(room);
            shownAs = room;
            return true;
        }
        if (!Names.TryNormalizeUser(to, out var display, out var key))
        {
            Fail(id, ErrorCodes.InvalidField, "\"to\" must be a room (#name) or a username.");
            return false;
        }
        conversationKey = ConversationKeys.ForDirect(UserKey!, key);
        shownAs = _server.Users.Find(key)?.User ?? display;
        return true;
    }

    /// <summary>The recipient's name as shown when online (on any node), <paramref name="typed"/> when only registered, else null.</summary>
    private async ValueTask<string?> RecipientShownAsAsync(string conversationKey, string typed)
    {
        var other = ConversationKeys.OtherParty(conversationKey, UserKey!)!;
        if (await _server.Users.FindNameAsync(other).ConfigureAwait(false) is { } online)
        {
            return online;
        }
        return await _server.Store.FindAccountAsync(other).ConfigureAwait(false) is not null ? typed : null;
    }
}
