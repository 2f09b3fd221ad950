// TEMPORARY stand-in until the store branch lands
namespace Parley.Server.Storage.Sqlite;
/// <summary>stub</summary>
public sealed class SqliteChatStore(string path, TimeProvider time, Microsoft.Extensions.Logging.ILogger<SqliteChatStore> logger) : IChatStore
{
    private readonly List<StoredMessage> _m = [];
    private readonly Dictionary<string, Account> _a = [];
    private readonly Dictionary<(string, string), StoredMessage> _acks = [];
    private readonly Lock _l = new();
    /// <inheritdoc/>
    public Task InitializeAsync(CancellationToken cancellationToken = default) { _ = path; _ = logger; return Task.CompletedTask; }
    /// <inheritdoc/>
    public void Append(PendingMessage message)
    {
        StoredMessage s;
        lock (_l)
        {
            var seq = _m.Count(m => m.ConversationKey == message.ConversationKey) + 1;
            s = new StoredMessage(message.ConversationKey, seq, Parley.Protocol.Timestamps.TruncateToMilliseconds(time.GetUtcNow()), message.From, message.To, message.Text);
            _m.Add(s); _acks[(message.SenderKey, message.ClientId)] = s;
            message.OnCommitted(s);
        }
    }
    /// <inheritdoc/>
    public Task FlushAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
    /// <inheritdoc/>
    public ValueTask<StoredMessage?> FindAckAsync(string senderKey, string clientId, DateTimeOffset notBefore, CancellationToken cancellationToken = default) { lock (_l) { return ValueTask.FromResult(_acks.GetValueOrDefault((senderKey, clientId))); } }
    /// <inheritdoc/>
    public ValueTask<HistoryPage> ReadHistoryAsync(string conversationKey, long? before, long? after, int limit, CancellationToken cancellationToken = default)
    {
        lock (_l)
        {
            var all = _m.Where(m => m.ConversationKey == conversationKey && (before is null || m.Seq < before) && (after is null || m.Seq > after)).ToList();
            if (after is not null && before is null) { return ValueTask.FromResult(new HistoryPage(all.Take(limit).ToList(), all.Count > limit)); }
            return ValueTask.FromResult(new HistoryPage(all.Skip(Math.Max(0, all.Count - limit)).ToList(), all.Count > limit));
        }
    }
    /// <inheritdoc/>
    public ValueTask<Account?> FindAccountAsync(string userKey, CancellationToken cancellationToken = default) { lock (_l) { return ValueTask.FromResult(_a.GetValueOrDefault(userKey)); } }
    /// <inheritdoc/>
    public ValueTask<bool> TryCreateAccountAsync(Account account, CancellationToken cancellationToken = default) { lock (_l) { return ValueTask.FromResult(_a.TryAdd(account.UserKey, account)); } }
    /// <inheritdoc/>
    public ValueTask SaveAccountRoomsAsync(string userKey, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default) { lock (_l) { _a[userKey] = _a[userKey] with { Rooms = rooms.ToList() }; } return ValueTask.CompletedTask; }
    /// <inheritdoc/>
    public ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(true);
    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
