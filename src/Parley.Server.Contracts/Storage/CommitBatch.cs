namespace Parley.Server.Storage;

/// <summary>
/// What one commit writes: messages in the order they were queued, each conversation's share of them,
/// one timestamp, and the other writes. Made and reused by the core's commit pipeline; the engine
/// only says where each conversation's seqs start (<see cref="SetFirstSeq"/>) and writes.
/// </summary>
public sealed class CommitBatch
{
    private readonly List<PendingMessage> _messages = [];
    // for each message: its conversation's index in _conversations, and how many of that conversation's came before it
    private readonly List<(int Conversation, int Offset)> _places = [];
    private readonly List<(string Key, int Count)> _conversations = [];
    private readonly Dictionary<string, int> _conversationIndex = new(StringComparer.Ordinal);
    private readonly List<long> _firstSeqs = [];
    private readonly List<StoreWrite> _writes = [];

    /// <summary>When the batch's messages were sequenced, to the millisecond: one time for the whole commit.</summary>
    public DateTimeOffset Timestamp { get; private set; }

    /// <summary>The messages, in the order they were queued.</summary>
    public IReadOnlyList<PendingMessage> Messages => _messages;

    /// <summary>The conversations the messages belong to, each once, in the order of their first message, with how many messages each has here.</summary>
    public IReadOnlyList<(string Key, int Count)> Conversations => _conversations;

    /// <summary>The other writes, in the order they were queued.</summary>
    public IReadOnlyList<StoreWrite> Writes => _writes;

    /// <summary>How many messages and writes the batch holds.</summary>
    public int Count => _messages.Count + _writes.Count;

    /// <summary>Empties the batch for the next commit, sequenced at <paramref name="timestamp"/>.</summary>
    public void Reset(DateTimeOffset timestamp)
    {
        Timestamp = timestamp;
        _messages.Clear();
        _places.Clear();
        _conversations.Clear();
        _conversationIndex.Clear();
        _firstSeqs.Clear();
        _writes.Clear();
    }

    /// <summary>Adds a message after those already in the batch.</summary>
    public void Add(PendingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!_conversationIndex.TryGetValue(message.ConversationKey, out var conversation))
        {
            conversation = _conversations.Count;
            _conversationIndex.Add(message.ConversationKey, conversation);
            _conversations.Add((message.ConversationKey, 0));
            _firstSeqs.Add(0);
        }
        var (key, count) = _conversations[conversation];
        _places.Add((conversation, count));
        _conversations[conversation] = (key, count + 1);
        _messages.Add(message);
    }

    /// <summary>Adds a write after those already in the batch.</summary>
    public void Add(StoreWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        _writes.Add(write);
    }

    /// <summary>Says where the seqs of conversation <paramref name="conversation"/> (an index into <see cref="Conversations"/>) start in this batch.</summary>
    public void SetFirstSeq(int conversation, long firstSeq)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(firstSeq, 1);
        _firstSeqs[conversation] = firstSeq;
    }

    /// <summary>The newest seq of conversation <paramref name="conversation"/> once the batch is committed: what an engine that caches it remembers.</summary>
    public long LastSeqOf(int conversation) => _firstSeqs[conversation] + _conversations[conversation].Count - 1;

    /// <summary>The seq of message <paramref name="message"/> (an index into <see cref="Messages"/>): its conversation's first seq here plus the messages of that conversation before it.</summary>
    /// <exception cref="InvalidOperationException">The engine has not given the message's conversation its first seq.</exception>
    public long SeqOf(int message)
    {
        var (conversation, offset) = _places[message];
        var first = _firstSeqs[conversation];
        return first == 0
            ? throw new InvalidOperationException($"No first seq was given to {_conversations[conversation].Key}.")
            : first + offset;
    }
}
