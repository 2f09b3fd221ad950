using System.Collections.Concurrent;
using Parley.Server.Storage;
using Parley.Testing;

namespace Parley.Server.Tests.Storage;

/// <summary>
/// What the store must do (the core's <see cref="CommitPipeline"/> over an engine), run against each
/// engine by a subclass that says how to open one over a database of its own.
/// </summary>
public abstract class ChatStoreTests<TEngine> : IAsyncLifetime
    where TEngine : class, IChatEngine
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    protected static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private readonly List<CommitPipeline> stores = [];

    protected ManualClock Clock { get; } = new(Start);

    protected LogRecorder Logs { get; } = new();

    /// <summary>Every commit callback, in the order the store ran them.</summary>
    protected ConcurrentQueue<StoredMessage> Committed { get; } = new();

    /// <summary>An engine over this test's database (the same one on every call), not yet initialized.</summary>
    protected abstract TEngine CreateEngine();

    /// <summary>A store (the commit pipeline over a new engine) over this test's database, not yet initialized; disposed with the test.</summary>
    protected CommitPipeline CreateStore()
    {
        var store = new CommitPipeline(CreateEngine(), Clock, StandaloneMetrics.Create(), Logs.CreateLogger<CommitPipeline>());
        stores.Add(store);
        return store;
    }

    /// <summary>How many transactions the store has committed.</summary>
    protected static long CommitCount(CommitPipeline store) => store.CommitCount;

    /// <summary>Removes this test's database, after every store over it is disposed.</summary>
    protected abstract Task DeleteDatabaseAsync();

    /// <summary>
    /// Brings this test's database to schema version 1 (protocol 1.0's, before identities) and runs
    /// <paramref name="sql"/> on it, as a database of then would hold.
    /// </summary>
    protected abstract Task CreateVersionOneDatabaseAsync(string sql);

    /// <summary>
    /// Whether the store answers <see cref="IChatStore.HasSentSinceAsync"/> exactly; a store that
    /// cannot tell cheaply may always say true (it must never say false for someone who sent).
    /// </summary>
    protected virtual bool TellsWhoHasNotSent => true;

    private async Task AssertHasNotSentAsync(CommitPipeline store, string sender, DateTimeOffset notBefore)
    {
        if (TellsWhoHasNotSent)
        {
            Assert.False(await store.HasSentSinceAsync(sender, notBefore));
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in stores)
        {
            await store.DisposeAsync().AsTask().WaitAsync(Timeout);
        }
        await DeleteDatabaseAsync();
        Logs.AssertNoWarningsOrErrors();
    }

    protected async Task<CommitPipeline> OpenAsync()
    {
        var store = CreateStore();
        await store.InitializeAsync().WaitAsync(Timeout);
        return store;
    }

    protected TestMessage Message(string conversation, string text = "hi", string sender = "alice", string? clientId = null) => new()
    {
        ConversationKey = conversation,
        SenderKey = sender,
        From = sender,
        To = conversation,
        Text = text,
        ClientId = clientId ?? Guid.NewGuid().ToString("N"),
        BeforeCompletion = Committed.Enqueue,
    };

    protected static async Task<StoredMessage> AppendAsync(CommitPipeline store, TestMessage message)
    {
        store.Append(message);
        return await message.Stored.WaitAsync(Timeout);
    }

    protected async Task SeedAsync(CommitPipeline store, string conversation, int count)
    {
        var messages = Enumerable.Range(1, count).Select(i => Message(conversation, $"message {i}")).ToList();
        messages.ForEach(store.Append);
        await Task.WhenAll(messages.Select(m => m.Stored)).WaitAsync(Timeout);
    }

    private static long[] Seqs(IEnumerable<StoredMessage> messages) => [.. messages.Select(m => m.Seq)];

    [Fact]
    public async Task SeqStartsAtOneAndHasNoGapsInAConversation()
    {
        var store = await OpenAsync();
        var messages = Enumerable.Range(0, 5).Select(_ => Message("#a")).ToList();
        messages.ForEach(store.Append);

        var stored = await Task.WhenAll(messages.Select(m => m.Stored)).WaitAsync(Timeout);

        Assert.Equal([1, 2, 3, 4, 5], Seqs(stored));
    }

    [Fact]
    public async Task ConversationsAreNumberedIndependently()
    {
        var store = await OpenAsync();
        var conversations = new[] { "#a", "#b", "dm:alice:bob", "#a", "#a", "dm:alice:bob" };
        var messages = conversations.Select(c => Message(c)).ToList();
        messages.ForEach(store.Append);

        var stored = await Task.WhenAll(messages.Select(m => m.Stored)).WaitAsync(Timeout);

        Assert.Equal([1, 1, 1, 2, 3, 2], Seqs(stored));
        Assert.Equal(conversations, stored.Select(m => m.ConversationKey));
    }

    [Fact]
    public async Task CallbacksRunInSeqOrder()
    {
        var store = await OpenAsync();
        var messages = Enumerable.Range(0, 100).Select(i => Message(i % 3 == 0 ? "#b" : "#a", $"text {i}")).ToList();
        messages.ForEach(store.Append);

        await Task.WhenAll(messages.Select(m => m.Stored)).WaitAsync(Timeout);

        Assert.Equal(messages.Select(m => m.Text), Committed.Select(m => m.Text));
        Assert.Equal(Enumerable.Range(1, 66).Select(i => (long)i), Seqs(Committed.Where(m => m.ConversationKey == "#a")));
        Assert.Equal(Enumerable.Range(1, 34).Select(i => (long)i), Seqs(Committed.Where(m => m.ConversationKey == "#b")));
    }

    [Fact]
    public async Task StoredMessageKeepsItsFieldsAndAMillisecondTimestamp()
    {
        var store = await OpenAsync();
        Clock.Set(Start.AddTicks(12_345_678)); // 1.2345678 s: sub-millisecond ticks to drop

        var stored = await AppendAsync(store, new TestMessage
        {
            ConversationKey = "dm:alice:bob",
            SenderKey = "alice",
            From = "Alice",
            To = "Bob",
            Text = "hé 👋\nsecond line",
            ClientId = "c1",
        });

        Assert.Equal(new StoredMessage("dm:alice:bob", 1, Start.AddMilliseconds(1234), "alice", "Alice", "Bob", "hé 👋\nsecond line"), stored);
        var page = await store.ReadHistoryAsync("dm:alice:bob", before: null, after: null, limit: 10);
        Assert.Equal([stored], page.Messages);
        Assert.Equal(TimeSpan.Zero, page.Messages[0].Ts.Offset);
    }

    [Theory]
    [InlineData("x", 1)]
    [InlineData("é", 600)]
    [InlineData("👋", 1000)]
    [InlineData("a\tb\nc", 1000)]
    public async Task TextsOfEveryLengthAndScriptComeBackAsStored(string piece, int repeats)
    {
        var store = await OpenAsync();
        var text = string.Concat(Enumerable.Repeat(piece, repeats));
        var clientId = "id-" + piece + repeats;

        var stored = await AppendAsync(store, Message("#a", text, sender: "zoë", clientId: clientId));

        Assert.Equal(text, stored.Text);
        Assert.Equal([stored], (await store.ReadHistoryAsync("#a", before: null, after: null, limit: 10)).Messages);
        Assert.Equal(stored, await store.FindAckAsync("zoë", clientId, Start.AddHours(-24)));
        Assert.True(await store.HasSentSinceAsync("zoë", Start.AddHours(-24)));
    }

    [Fact]
    public async Task ConcurrentAppendsFromManyThreadsGetGapFreeSeqs()
    {
        var store = await OpenAsync();
        string[] conversations = ["#a", "#b", "#c"];
        var messages = new ConcurrentBag<TestMessage>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(thread => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                var message = Message(conversations[(thread + i) % 3], $"{thread}/{i}");
                messages.Add(message);
                store.Append(message);
            }
        }))).WaitAsync(Timeout);
        await Task.WhenAll(messages.Select(m => m.Stored)).WaitAsync(Timeout);

        Assert.Equal(1600, Committed.Count);
        foreach (var conversation in conversations)
        {
            var seqs = Seqs(Committed.Where(m => m.ConversationKey == conversation));
            Assert.Equal(Enumerable.Range(1, seqs.Length).Select(i => (long)i), seqs);
        }
    }

    [Fact]
    public async Task ABurstIsCommittedInFewerCommitsThanMessages()
    {
        var store = await OpenAsync();
        using var gate = new ManualResetEventSlim();
        // Holding the writer in a callback lets the whole burst queue up behind it, whatever the machine's speed.
        var first = new TestMessage
        {
            ConversationKey = "#a", SenderKey = "alice", From = "alice", To = "#a", Text = "first", ClientId = "gate",
            BeforeCompletion = _ => gate.Wait(Timeout),
        };
        store.Append(first);
        var commitsBefore = CommitCount(store);
        const int burst = 2000;
        var messages = new ConcurrentBag<TestMessage>();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(thread => Task.Run(() =>
        {
            for (var i = 0; i < burst / 4; i++)
            {
                var message = Message("#a", $"{thread}/{i}");
                messages.Add(message);
                store.Append(message);
            }
        }))).WaitAsync(Timeout);
        gate.Set();
        await Task.WhenAll(messages.Select(m => m.Stored)).WaitAsync(Timeout);

        var commits = CommitCount(store) - commitsBefore;
        Assert.True(commits < burst, $"{commits} commits for {burst} messages");
        Assert.Equal(Enumerable.Range(2, burst).Select(i => (long)i), Seqs(Committed));
    }

    [Fact]
    public async Task FlushWaitsForCommitsAndTheirCallbacks()
    {
        var store = await OpenAsync();
        var messages = Enumerable.Range(0, 20).Select(_ => Message("#a")).ToList();
        messages.ForEach(store.Append);

        await store.FlushAsync().WaitAsync(Timeout);

        Assert.All(messages, m => Assert.True(m.Stored.IsCompletedSuccessfully));
        Assert.Equal(20, Committed.Count);
    }

    private async Task<CommitPipeline> ReopenAfterSeedingAsync(string conversation, int count)
    {
        var first = await OpenAsync();
        await SeedAsync(first, conversation, count);
        await first.DisposeAsync();
        return await OpenAsync();
    }

    [Fact]
    public async Task MessagesSurviveDisposeAndReopen()
    {
        var second = await ReopenAfterSeedingAsync("#a", 3);

        var page = await second.ReadHistoryAsync("#a", before: null, after: null, limit: 10);

        Assert.Equal(["message 1", "message 2", "message 3"], page.Messages.Select(m => m.Text));
        Assert.Equal([1, 2, 3], Seqs(page.Messages));
    }

    [Fact]
    public async Task SeqContinuesAfterReopen()
    {
        var second = await ReopenAfterSeedingAsync("#a", 3);

        var stored = await AppendAsync(second, Message("#a"));
        var other = await AppendAsync(second, Message("#b"));

        Assert.Equal(4, stored.Seq);
        Assert.Equal(1, other.Seq);
    }

    [Fact]
    public async Task DisposeCommitsWhatIsStillQueued()
    {
        var first = await OpenAsync();
        var messages = Enumerable.Range(0, 50).Select(_ => Message("#a")).ToList();
        messages.ForEach(first.Append);

        await first.DisposeAsync().AsTask().WaitAsync(Timeout);

        Assert.All(messages, m => Assert.True(m.Stored.IsCompletedSuccessfully));
        var second = await OpenAsync();
        var page = await second.ReadHistoryAsync("#a", before: null, after: null, limit: 100);
        Assert.Equal(50, page.Messages.Count);
    }

    [Fact]
    public async Task ACallbackThatThrowsDoesNotStopTheStore()
    {
        var store = await OpenAsync();
        var throwing = new TestMessage
        {
            ConversationKey = "#a", SenderKey = "alice", From = "alice", To = "#a", Text = "boom", ClientId = "c1",
            ThrowsAfterCommit = true,
        };
        var next = Message("#a");
        store.Append(throwing);
        store.Append(next);

        Assert.Equal(1, (await throwing.Stored.WaitAsync(Timeout)).Seq);
        Assert.Equal(2, (await next.Stored.WaitAsync(Timeout)).Seq);
        await store.FlushAsync().WaitAsync(Timeout);
        Assert.Single(Logs.Entries, e => e.Exception is InvalidOperationException);
        Logs.Clear();
    }

    [Fact]
    public async Task HasSentSinceKnowsWhoSentAndSince()
    {
        var store = await OpenAsync();
        var sent = await AppendAsync(store, Message("#a", sender: "alice"));

        Assert.True(await store.HasSentSinceAsync("alice", Start.AddHours(-24)));
        await AssertHasNotSentAsync(store, "bob", Start.AddHours(-24));
        await AssertHasNotSentAsync(store, "alice", sent.Ts.AddMilliseconds(1));
    }

    [Fact]
    public async Task HasSentSinceRemembersSendersAcrossAReopen()
    {
        var second = await ReopenAfterSeedingAsync("#a", 2);

        Assert.True(await second.HasSentSinceAsync("alice", Start.AddHours(-24)));
        await AssertHasNotSentAsync(second, "bob", Start.AddHours(-24));
        await AppendAsync(second, Message("#a", sender: "bob"));
        Assert.True(await second.HasSentSinceAsync("bob", Start.AddHours(-24)));
    }

    [Fact]
    public async Task HasSentSinceFindsASenderOlderThanADayBeforeTheReopen()
    {
        var first = await OpenAsync();
        await AppendAsync(first, Message("#a", sender: "alice"));
        await first.DisposeAsync();
        Clock.Advance(TimeSpan.FromHours(30));
        var second = await OpenAsync();

        // asked about a time before what a store may keep in mind, the answer still comes from the database
        Assert.True(await second.HasSentSinceAsync("alice", Start.AddHours(-1)));
        await AssertHasNotSentAsync(second, "alice", Start.AddHours(1));
        await AssertHasNotSentAsync(second, "alice", Start.AddHours(7));
    }

    [Fact]
    public async Task LookUpsAtTheSameTimeEachGetTheirOwnAnswer()
    {
        var store = await OpenAsync();
        var stored = new List<StoredMessage>();
        for (var i = 0; i < 20; i++)
        {
            stored.Add(await AppendAsync(store, Message("#a", $"text {i}", sender: $"user{i}", clientId: $"c{i}")));
        }
        var notBefore = Start.AddHours(-24);

        // look-ups from the thread pool's threads at the same time, each connection used again and again
        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(n => Task.Run(async () =>
            (n, Found: await store.FindAckAsync($"user{n % 20}", $"c{n % 20}", notBefore), Sent: await store.HasSentSinceAsync($"user{n % 20}", notBefore))))).WaitAsync(Timeout);

        Assert.All(answers, answer =>
        {
            Assert.Equal(stored[answer.n % 20], answer.Found);
            Assert.True(answer.Sent);
        });
        Assert.Null(await store.FindAckAsync("user1", "c2", notBefore));
    }

    [Fact]
    public async Task FindAckFindsTheMessageBySenderAndClientId()
    {
        var store = await OpenAsync();
        var mine = await AppendAsync(store, Message("#a", "mine", sender: "alice", clientId: "c1"));
        var theirs = await AppendAsync(store, Message("#a", "theirs", sender: "bob", clientId: "c1"));
        var notBefore = Start.AddHours(-24);

        Assert.Equal(mine, await store.FindAckAsync("alice", "c1", notBefore));
        Assert.Equal(theirs, await store.FindAckAsync("bob", "c1", notBefore));
        Assert.Null(await store.FindAckAsync("alice", "c2", notBefore));
        Assert.Null(await store.FindAckAsync("carol", "c1", notBefore));
    }

    [Fact]
    public async Task FindAckIgnoresMessagesBeforeNotBefore()
    {
        var store = await OpenAsync();
        var stored = await AppendAsync(store, Message("#a", clientId: "c1"));

        Assert.Equal(stored, await store.FindAckAsync("alice", "c1", stored.Ts));
        Assert.Null(await store.FindAckAsync("alice", "c1", stored.Ts.AddTicks(1)));
    }

    [Fact]
    public async Task FindAckReturnsTheNewestUseOfAReusedId()
    {
        var store = await OpenAsync();
        await AppendAsync(store, Message("#a", "old", clientId: "c1"));
        Clock.Advance(TimeSpan.FromHours(25));
        var recent = await AppendAsync(store, Message("#b", "new", clientId: "c1"));

        Assert.Equal(recent, await store.FindAckAsync("alice", "c1", Clock.GetUtcNow().AddHours(-24)));
        Assert.Equal(recent, await store.FindAckAsync("alice", "c1", Start));
    }

    [Theory]
    [InlineData(null, null, 3, new long[] { 8, 9, 10 }, true)]
    [InlineData(null, null, 10, new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, false)]
    [InlineData(null, null, 50, new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, false)]
    [InlineData(8L, null, 3, new long[] { 5, 6, 7 }, true)]
    [InlineData(4L, null, 3, new long[] { 1, 2, 3 }, false)]
    [InlineData(3L, null, 5, new long[] { 1, 2 }, false)]
    [InlineData(1L, null, 5, new long[0], false)]
    [InlineData(null, 7L, 2, new long[] { 8, 9 }, true)]
    [InlineData(null, 7L, 3, new long[] { 8, 9, 10 }, false)]
    [InlineData(null, 0L, 4, new long[] { 1, 2, 3, 4 }, true)]
    [InlineData(null, 10L, 5, new long[0], false)]
    [InlineData(6L, 2L, 2, new long[] { 4, 5 }, true)]
    [InlineData(6L, 2L, 3, new long[] { 3, 4, 5 }, false)]
    public async Task HistoryPagesAsTheProtocolSays(long? before, long? after, int limit, long[] expectedSeqs, bool expectedMore)
    {
        var store = await OpenAsync();
        await SeedAsync(store, "#a", 10);
        await SeedAsync(store, "#b", 2);

        var page = await store.ReadHistoryAsync("#a", before, after, limit);

        Assert.Equal(expectedSeqs, Seqs(page.Messages));
        Assert.All(page.Messages, m => Assert.Equal("#a", m.ConversationKey));
        Assert.Equal(expectedMore, page.More);
    }

    [Fact]
    public async Task HistoryOfAnUnknownConversationIsEmpty()
    {
        var store = await OpenAsync();
        await SeedAsync(store, "#a", 2);

        var page = await store.ReadHistoryAsync("#nobody", before: null, after: null, limit: 50);

        Assert.Empty(page.Messages);
        Assert.False(page.More);
    }

    [Fact]
    public async Task CreatedAccountCanBeFound()
    {
        var store = await OpenAsync();
        var account = new Account("@a1", "alice", "aIice", "Alice", "pbkdf2-sha256$600000$c2FsdA==$aGFzaA==", ["#lobby", "#rust"]);

        Assert.True(await store.TryCreateAccountAsync(account).AsTask().WaitAsync(Timeout));
        var byKey = await store.FindAccountAsync("alice");
        var bySkeleton = await store.FindAccountBySkeletonAsync("aIice");
        var byIdentity = await store.FindAccountByIdentityAsync("@a1");

        Assert.NotNull(byKey);
        Assert.Equal(("@a1", "alice", "aIice", "Alice", account.PasswordHash), (byKey.Identity, byKey.UserKey, byKey.Skeleton, byKey.Name, byKey.PasswordHash));
        Assert.Equal(["#lobby", "#rust"], byKey.Rooms.Order(StringComparer.Ordinal));
        Assert.Equal(byKey with { Rooms = [] }, bySkeleton! with { Rooms = [] });
        Assert.Equal(byKey with { Rooms = [] }, byIdentity! with { Rooms = [] });
    }

    [Fact]
    public async Task CreatingAnExistingAccountReturnsFalseAndKeepsTheFirst()
    {
        var store = await OpenAsync();
        Assert.True(await store.TryCreateAccountAsync(new Account("@a1", "alice", "alice", "Alice", "first", ["#a"])).AsTask().WaitAsync(Timeout));

        Assert.False(await store.TryCreateAccountAsync(new Account("@a2", "alice", "alice", "ALICE", "second", ["#b"])).AsTask().WaitAsync(Timeout));
        Assert.False(await store.TryCreateAccountAsync(new Account("@a1", "bob", "bob", "bob", "third", ["#c"])).AsTask().WaitAsync(Timeout));

        var found = await store.FindAccountAsync("alice");
        Assert.NotNull(found);
        Assert.Equal(("@a1", "Alice", "first"), (found.Identity, found.Name, found.PasswordHash));
        Assert.Equal(["#a"], found.Rooms);
        Assert.Null(await store.FindAccountAsync("bob"));
    }

    [Fact]
    public async Task FindingAnUnknownAccountReturnsNull()
    {
        var store = await OpenAsync();

        Assert.Null(await store.FindAccountAsync("nobody"));
        Assert.Null(await store.FindAccountBySkeletonAsync("nobody"));
        Assert.Null(await store.FindAccountByIdentityAsync("@nobody"));
    }

    [Fact]
    public async Task SavedRoomsReplaceTheAccountRooms()
    {
        var store = await OpenAsync();
        await store.TryCreateAccountAsync(new Account("@a1", "alice", "alice", "Alice", "hash", ["#lobby", "#a"])).AsTask().WaitAsync(Timeout);

        await store.SaveAccountRoomsAsync("@a1", ["#b", "#c", "#lobby"]).AsTask().WaitAsync(Timeout);
        var saved = await store.FindAccountAsync("alice");
        await store.SaveAccountRoomsAsync("@a1", []).AsTask().WaitAsync(Timeout);
        var emptied = await store.FindAccountAsync("alice");

        Assert.NotNull(saved);
        Assert.NotNull(emptied);
        Assert.Equal(["#b", "#c", "#lobby"], saved.Rooms.Order(StringComparer.Ordinal));
        Assert.Empty(emptied.Rooms);
    }

    [Fact]
    public async Task AccountWritesAndMessagesShareTheWriter()
    {
        var store = await OpenAsync();
        var messages = Enumerable.Range(0, 10).Select(_ => Message("#a")).ToList();
        messages.ForEach(store.Append);
        var created = store.TryCreateAccountAsync(new Account("@a1", "alice", "alice", "Alice", "hash", ["#a"])).AsTask();
        var more = Message("#a");
        store.Append(more);

        Assert.True(await created.WaitAsync(Timeout));
        Assert.Equal(11, (await more.Stored.WaitAsync(Timeout)).Seq);
    }

    [Fact]
    public async Task AnAccountsNameKeyAndSkeletonCanBeBroughtUpToNewRules()
    {
        var store = await OpenAsync();
        await store.TryCreateAccountAsync(new Account("@a1", "straße", "straße", "Straße", "hash", ["#a"])).AsTask().WaitAsync(Timeout);

        await store.UpdateAccountNameAsync("@a1", "strasse", "strasse", 7).AsTask().WaitAsync(Timeout);

        Assert.Null(await store.FindAccountAsync("straße"));
        var found = await store.FindAccountAsync("strasse");
        Assert.Equal(("@a1", "strasse", "Straße"), (found!.Identity, found.Skeleton, found.Name));
        Assert.Equal(["#a"], found.Rooms);
        var listed = Assert.Single(await store.ListAccountNamesAsync());
        Assert.Equal(new AccountName("@a1", "strasse", "strasse", "Straße", 7), listed);
    }

    [Fact]
    public async Task ATokenIsFoundByItsHashUntilRevoked()
    {
        var store = await OpenAsync();
        await store.TryCreateAccountAsync(new Account("@a1", "alice", "alice", "Alice", "hash", [])).AsTask().WaitAsync(Timeout);

        await store.SaveTokenAsync("h1", "@a1", Start).AsTask().WaitAsync(Timeout);
        await store.SaveTokenAsync("h2", "@a1", Start).AsTask().WaitAsync(Timeout);
        var found = await store.FindTokenAsync("h1");
        await store.RevokeTokenAsync("h1").AsTask().WaitAsync(Timeout);

        Assert.Equal(new IdentityToken("@a1", Start), found);
        Assert.Null(await store.FindTokenAsync("h1"));
        Assert.NotNull(await store.FindTokenAsync("h2"));
        Assert.Null(await store.FindTokenAsync("unknown"));
    }

    [Fact]
    public async Task ATokensLastUseMovesOnlyForwardAndUnusedOnesAreForgotten()
    {
        var store = await OpenAsync();
        await store.TryCreateAccountAsync(new Account("@a1", "alice", "alice", "Alice", "hash", [])).AsTask().WaitAsync(Timeout);
        await store.SaveTokenAsync("old", "@a1", Start).AsTask().WaitAsync(Timeout);
        await store.SaveTokenAsync("used", "@a1", Start).AsTask().WaitAsync(Timeout);

        await store.TouchTokenAsync("used", Start.AddDays(10)).AsTask().WaitAsync(Timeout);
        await store.TouchTokenAsync("used", Start.AddDays(5)).AsTask().WaitAsync(Timeout);
        var forgotten = await store.DeleteTokensUnusedSinceAsync(Start.AddDays(1)).AsTask().WaitAsync(Timeout);

        Assert.Equal(1, forgotten);
        Assert.Null(await store.FindTokenAsync("old"));
        Assert.Equal(Start.AddDays(10), (await store.FindTokenAsync("used"))!.LastUsed);
    }

    [Fact]
    public async Task ADirectConversationIsListedUnderBothPartiesMostRecentFirst()
    {
        var store = await OpenAsync();
        await store.TryCreateAccountAsync(new Account("@bob", "bob", "bob", "Bob", "hash", [])).AsTask().WaitAsync(Timeout);
        await AppendAsync(store, Direct("dm:@alice:@bob", "@alice", "alice", "@bob", "Bob"));
        Clock.Set(Start.AddSeconds(1));
        await AppendAsync(store, Direct("dm:@alice:@carol", "@carol", "carol", "@alice", "alice"));
        Clock.Set(Start.AddSeconds(2));
        await AppendAsync(store, Direct("dm:@alice:@bob", "@bob", "Bob", "@alice", "alice"));
        await AppendAsync(store, Message("#a"));

        var alice = await store.ListDirectConversationsAsync("@alice", 10);
        var bob = await store.ListDirectConversationsAsync("@bob", 10);
        var aliceNewest = await store.ListDirectConversationsAsync("@alice", 1);

        Assert.Equal(
            [new DirectConversation("dm:@alice:@bob", "@bob", "Bob", true, 2, Start.AddSeconds(2)),
             new DirectConversation("dm:@alice:@carol", "@carol", "carol", false, 1, Start.AddSeconds(1))],
            alice);
        Assert.Equal([new DirectConversation("dm:@alice:@bob", "@alice", "alice", false, 2, Start.AddSeconds(2))], bob);
        Assert.Equal([alice[0]], aliceNewest);
        Assert.Empty(await store.ListDirectConversationsAsync("@nobody", 10));
    }

    [Fact]
    public async Task MessagesKeepTheirSendersIdentity()
    {
        var store = await OpenAsync();

        var stored = await AppendAsync(store, Direct("dm:@alice:@bob", "@alice", "alice", "@bob", "bob"));
        var page = await store.ReadHistoryAsync("dm:@alice:@bob", before: null, after: null, limit: 10);

        Assert.Equal("@alice", stored.SenderKey);
        Assert.Equal("@alice", Assert.Single(page.Messages).SenderKey);
    }

    [Fact]
    public async Task AVersionOneDatabaseMovesDirectConversationsBetweenAccountsToTheirIdentities()
    {
        // accounts alice and bob with a conversation; carol, a guest of then, wrote to alice
        await CreateVersionOneDatabaseAsync("""
            INSERT INTO accounts (user_key, name, password_hash, created) VALUES ('alice', 'Alice', 'h1', 1), ('bob', 'Bob', 'h2', 2);
            INSERT INTO account_rooms (user_key, room) VALUES ('alice', '#lobby'), ('alice', '#dev');
            INSERT INTO messages (conversation, seq, ts, sender_key, from_name, to_name, text, client_id) VALUES
                ('dm:alice:bob', 1, 1000, 'alice', 'Alice', 'Bob', 'hi bob', 'c1'),
                ('dm:alice:bob', 2, 2000, 'bob', 'Bob', 'Alice', 'hi alice', 'c2'),
                ('dm:alice:carol', 1, 3000, 'carol', 'carol', 'Alice', 'from a guest', 'c3'),
                ('#lobby', 1, 4000, 'carol', 'carol', '#lobby', 'hello room', 'c4');
            """);
        var store = await OpenAsync();

        var alice = await store.FindAccountAsync("alice");
        var bob = await store.FindAccountAsync("bob");
        Assert.NotNull(alice);
        Assert.NotNull(bob);
        Assert.StartsWith("@", alice.Identity);
        Assert.NotEqual(alice.Identity, bob.Identity);
        Assert.Equal(["#dev", "#lobby"], alice.Rooms);
        var key = string.CompareOrdinal(alice.Identity, bob.Identity) < 0 ? $"dm:{alice.Identity}:{bob.Identity}" : $"dm:{bob.Identity}:{alice.Identity}";
        var history = await store.ReadHistoryAsync(key, before: null, after: null, limit: 10);
        Assert.Equal([(1L, alice.Identity, "hi bob"), (2L, bob.Identity, "hi alice")], history.Messages.Select(m => (m.Seq, m.SenderKey, m.Text)));
        Assert.Equal([new DirectConversation(key, bob.Identity, "Bob", true, 2, DateTimeOffset.FromUnixTimeMilliseconds(2000))],
            await store.ListDirectConversationsAsync(alice.Identity, 10));
        Assert.Equal([new DirectConversation(key, alice.Identity, "Alice", true, 2, DateTimeOffset.FromUnixTimeMilliseconds(2000))],
            await store.ListDirectConversationsAsync(bob.Identity, 10));
        // an ack given to an account is found under its identity; the guest's conversation is no one's now
        Assert.Equal(1, (await store.FindAckAsync(alice.Identity, "c1", DateTimeOffset.FromUnixTimeMilliseconds(0)))?.Seq);
        Assert.Equal("carol", Assert.Single((await store.ReadHistoryAsync("#lobby", null, null, 10)).Messages).SenderKey);
        Assert.Equal(["dm:alice:carol"], (await store.ReadHistoryAsync("dm:alice:carol", null, null, 10)).Messages.Select(m => m.ConversationKey));
        Assert.Equal([(alice.Identity, "alice", "", "Alice", NameRules.Legacy), (bob.Identity, "bob", "", "Bob", NameRules.Legacy)],
            (await store.ListAccountNamesAsync()).Select(a => (a.Identity, a.UserKey, a.Skeleton, a.Name, a.NameRules)));
        // the rooms of then are known, and wait for their skeletons
        Assert.Equal(["#dev", "#lobby"], await store.ListRoomsWithoutSkeletonAsync());
    }

    [Fact]
    public async Task ANewRoomIsCreatedUnlessARoomThatLooksLikeItExists()
    {
        var store = await OpenAsync();

        Assert.Equal("#lobby", await store.ClaimRoomAsync("#lobby", "#lobby"));
        Assert.Equal("#lobby", await store.ClaimRoomAsync("#lobby", "#lobby"));
        Assert.Equal("#lobby", await store.ClaimRoomAsync("#l0bby", "#lobby"));
        Assert.Equal("#rust", await store.ClaimRoomAsync("#rust", "#rust"));
        Assert.Empty(await store.ListRoomsWithoutSkeletonAsync());
    }

    [Fact]
    public async Task RoomsOfBeforeGetTheirSkeletonsAndNoNewRoomMayLookLikeThem()
    {
        await CreateVersionOneDatabaseAsync("""
            INSERT INTO messages (conversation, seq, ts, sender_key, from_name, to_name, text, client_id) VALUES
                ('#rust', 1, 1000, 'carol', 'carol', '#rust', 'hi', 'c1'),
                ('#ruѕt', 1, 1000, 'carol', 'carol', '#ruѕt', 'hi', 'c2');
            """);
        var store = await OpenAsync();
        Assert.Equal(["#lobby", "#rust", "#ruѕt"], (await store.ListRoomsWithoutSkeletonAsync()).Order(StringComparer.Ordinal));

        // two rooms of before that look alike both stay
        await store.SetRoomSkeletonAsync("#rust", "#rust").AsTask().WaitAsync(Timeout);
        await store.SetRoomSkeletonAsync("#ruѕt", "#rust").AsTask().WaitAsync(Timeout);

        Assert.Equal(["#lobby"], await store.ListRoomsWithoutSkeletonAsync());
        Assert.Equal("#ruѕt", await store.ClaimRoomAsync("#ruѕt", "#rust"));
        Assert.Equal("#rust", await store.ClaimRoomAsync("#rust", "#rust"));
        Assert.Contains(await store.ClaimRoomAsync("#rųst", "#rust"), new[] { "#rust", "#ruѕt" });
    }

    private static TestMessage Direct(string conversation, string sender, string from, string recipient, string to) => new()
    {
        ConversationKey = conversation,
        SenderKey = sender,
        RecipientKey = recipient,
        From = from,
        To = to,
        Text = "hi",
        ClientId = Guid.NewGuid().ToString("N"),
    };

    [Fact]
    public async Task IsHealthyWhileOpen()
    {
        var store = await OpenAsync();

        Assert.True(await store.IsHealthyAsync());
    }
}
