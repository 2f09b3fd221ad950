using System.Collections.Concurrent;
using Parley.Protocol;
using Parley.Server.Storage;

namespace Parley.Server.Core.Cluster;

/// <summary>
/// Hands messages of every conversation to this node's members in <c>seq</c> order, once each,
/// whichever node committed them and in whatever order they arrive: a message ahead of a gap waits
/// until the gap is filled, by the backplane or, after <see cref="GapWait"/>, from the store; a
/// message already delivered is dropped.
/// </summary>
internal sealed class ConversationSequencer(IChatStore store, RoomRegistry rooms, InProcessFanout local, Action<Exception> onFillFailed)
{
    /// <summary>How long a gap may wait for the backplane before it is read from the store.</summary>
    public static readonly TimeSpan GapWait = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, State> _states = new(StringComparer.Ordinal);

    /// <summary>
    /// Offers a committed message; delivers it and whatever it unblocks, in order, with this node's commit's
    /// <paramref name="deliveries"/> when it comes from there (null from the backplane or the store).
    /// </summary>
    public void Offer(StoredMessage message, DeliveryBatch? deliveries = null)
    {
        var state = _states.GetOrAdd(message.ConversationKey, static _ => new State());
        lock (state.Lock)
        {
            CatchUpWithRoom(state, message.ConversationKey);
            if (state.Delivered < 0)
            {
                // a direct conversation seen first now: nothing of it was delivered here before
                state.Delivered = message.Seq - 1;
            }
            if (message.Seq <= state.Delivered)
            {
                return;
            }
            state.Pending[message.Seq] = message;
            while (state.Pending.Remove(state.Delivered + 1, out var next))
            {
                // in the lock: the next message of this conversation must not overtake this one
                local.Deliver(next, deliveries);
                state.Delivered++;
            }
            if (state.Pending.Count > 0 && !state.FillScheduled)
            {
                state.FillScheduled = true;
                _ = FillAfterWaitAsync(message.ConversationKey, state);
            }
        }
    }

    /// <summary>Reads from the store whatever this node may have missed (after the backplane came back).</summary>
    public async Task CatchUpAsync()
    {
        var conversations = new HashSet<string>(_states.Keys, StringComparer.Ordinal);
        foreach (var room in rooms.All())
        {
            if (room.Members.Length > 0)
            {
                conversations.Add(ConversationKeys.ForRoom(room.Name));
            }
        }
        foreach (var conversation in conversations)
        {
            await FillAsync(conversation).ConfigureAwait(false);
        }
    }

    private async Task FillAfterWaitAsync(string conversation, State state)
    {
        await Task.Delay(GapWait).ConfigureAwait(false);
        lock (state.Lock)
        {
            state.FillScheduled = false;
        }
        await FillAsync(conversation).ConfigureAwait(false);
    }

    private async Task FillAsync(string conversation)
    {
        var state = _states.GetOrAdd(conversation, static _ => new State());
        long after;
        lock (state.Lock)
        {
            CatchUpWithRoom(state, conversation);
            after = state.Delivered;
        }
        if (after < 0)
        {
            return;
        }
        try
        {
            HistoryPage page;
            do
            {
                page = await store.ReadHistoryAsync(conversation, before: null, after: after, limit: ProtocolLimits.MaxResumePerConversation).ConfigureAwait(false);
                foreach (var message in page.Messages)
                {
                    Offer(message);
                    after = message.Seq;
                }
            }
            while (page.More);
        }
        catch (Exception error)
        {
            onFillFailed(error);
            lock (state.Lock)
            {
                if (state.Pending.Count > 0 && !state.FillScheduled)
                {
                    state.FillScheduled = true;
                    _ = FillAfterWaitAsync(conversation, state);
                }
            }
        }
    }

    // A room loaded on this node knows what its members have been given: never hand them less.
    private void CatchUpWithRoom(State state, string conversation)
    {
        if (Names.IsRoom(conversation) && rooms.Find(conversation) is { } room && room.LastSeq > state.Delivered)
        {
            state.Delivered = room.LastSeq;
            foreach (var seq in state.Pending.Keys.Where(s => s <= room.LastSeq).ToList())
            {
                state.Pending.Remove(seq);
            }
        }
    }

    private sealed class State
    {
        public readonly Lock Lock = new();
        public readonly SortedDictionary<long, StoredMessage> Pending = [];
        public long Delivered = -1;
        public bool FillScheduled;
    }
}
