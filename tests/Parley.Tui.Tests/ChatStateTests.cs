using Parley.Client;
using Parley.Protocol.Frames;
using Parley.Tui.State;

namespace Parley.Tui.Tests;

public class ChatStateTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static ChatState Welcomed(params string[] rooms)
    {
        var state = new ChatState("alice", "127.0.0.1:12345");
        state.OnWelcome(new WelcomeFrame { User = "alice", Rooms = [.. rooms.DefaultIfEmpty("#lobby")] });
        return state;
    }

    private static MessageFrame Message(string to, string from, string text, long seq) =>
        new() { To = to, From = from, Text = text, Seq = seq, Ts = Noon.AddSeconds(seq) };

    [Fact]
    public void WelcomeOpensItsRoomsAndShowsTheFirst()
    {
        var state = Welcomed("#lobby", "#dev");
        Assert.Equal(["#lobby", "#dev"], state.Conversations.Select(c => c.Name));
        Assert.Equal("#lobby", state.Current?.Name);
    }

    [Fact]
    public void MessageToAnotherConversationCountsAsUnreadUntilItIsShown()
    {
        var state = Welcomed("#lobby", "#dev");
        state.OnMessage(Message("#dev", "bob", "one", 1));
        state.OnMessage(Message("#dev", "bob", "two", 2));
        state.OnMessage(Message("#lobby", "bob", "here", 1));

        var dev = state.Find("#dev")!;
        Assert.Equal(2, dev.Unread);
        Assert.Equal("#dev (2)", dev.Label);
        Assert.Equal(0, state.Find("#lobby")!.Unread);

        state.Select(dev);
        Assert.Equal(0, dev.Unread);
        Assert.Equal("#dev", dev.Label);
    }

    [Fact]
    public void MessageSeenTwiceIsShownOnce()
    {
        var state = Welcomed();
        state.OnMessage(Message("#lobby", "bob", "hi", 7));
        state.OnMessage(Message("#lobby", "bob", "hi", 7));
        Assert.Single(state.Find("#lobby")!.Lines);
    }

    [Fact]
    public void DirectMessageOpensTheConversationNamedAfterTheSenderWhateverTheCase()
    {
        var state = Welcomed();
        state.OnMessage(Message("alice", "Bob", "psst", 1));
        state.OnMessage(Message("ALICE", "bob", "again", 2));

        var direct = Assert.Single(state.Conversations, c => !c.IsRoom);
        Assert.Equal("Bob", direct.Name);
        Assert.Equal(2, direct.Lines.Count);
        Assert.Same(direct, state.OpenDirect("BOB"));
    }

    [Fact]
    public void OwnMessageIsPendingUntilItsAckThenDeliveredWithTheServersTime()
    {
        var state = Welcomed();
        var line = ChatLine.Pending("#lobby", "alice", "hello", Noon);
        state.AddPending(line);
        Assert.Equal(ChatLineStatus.Pending, line.Status);
        Assert.Equal("12:00:00 … <alice> hello", line.Render(TimeZoneInfo.Utc));

        var serverTime = Noon.AddSeconds(3);
        state.OnAcknowledged(line, new AckFrame { Seq = 4, Ts = serverTime });
        Assert.Equal(ChatLineStatus.Delivered, line.Status);
        Assert.Equal(4, line.Seq);
        Assert.Equal(serverTime, line.Time);
        Assert.Equal("12:00:03 ✓ <alice> hello", line.Render(TimeZoneInfo.Utc));
    }

    [Fact]
    public void RefusedMessageShowsTheReasonAndCanBeRetriedInPlace()
    {
        var state = Welcomed();
        var line = ChatLine.Pending("#lobby", "alice", "hello", Noon);
        state.AddPending(line);
        state.OnRefused(line, "not_in_room: You are not in #lobby.");
        Assert.Equal(ChatLineStatus.Refused, line.Status);
        Assert.Contains("not_in_room: You are not in #lobby.", line.Render(TimeZoneInfo.Utc), StringComparison.Ordinal);

        state.OnRetrying(line);
        Assert.Equal(ChatLineStatus.Pending, line.Status);
        Assert.Null(line.Error);
        Assert.Single(state.Find("#lobby")!.Lines);
    }

    [Fact]
    public void OwnMessageEchoedBackLaterIsNotShownTwice()
    {
        var state = Welcomed();
        var line = ChatLine.Pending("#lobby", "alice", "hello", Noon);
        state.AddPending(line);
        state.OnAcknowledged(line, new AckFrame { Seq = 9, Ts = Noon });
        state.OnMessage(Message("#lobby", "alice", "hello", 9));
        Assert.Single(state.Find("#lobby")!.Lines);
    }

    [Fact]
    public void LinesShowTheLocalTime()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("plus-two", TimeSpan.FromHours(2), "plus-two", "plus-two");
        var line = ChatLine.Received("#lobby", "bob", "hi", Noon, 1);
        Assert.Equal("14:00:00   <bob> hi", line.Render(zone));
    }

    [Fact]
    public void PresenceKeepsTheMemberListAndTellsIt()
    {
        var state = Welcomed();
        state.SetMembers("#lobby", ["alice"]);
        state.OnPresence(new PresenceFrame { Room = "#lobby", User = "bob", Event = PresenceEvents.Join, Ts = Noon });
        Assert.Equal(["alice", "bob"], state.Find("#lobby")!.Members);
        state.OnPresence(new PresenceFrame { Room = "#lobby", User = "bob", Event = PresenceEvents.Quit, Ts = Noon });
        Assert.Equal(["alice"], state.Find("#lobby")!.Members);
        Assert.Equal(["bob joined", "bob quit"], state.Find("#lobby")!.Lines.Select(l => l.Text));
    }

    [Fact]
    public void JoiningShowsTheRoomWithItsMembers()
    {
        var state = Welcomed();
        state.OnJoined(new JoinedFrame { Room = "#dev", Users = ["bob", "alice"] });
        Assert.Equal("#dev", state.Current?.Name);
        Assert.Equal(["alice", "bob"], state.Current!.Members);
    }

    [Fact]
    public void LeavingTheRoomShownShowsAnotherAndKeepsTheOldOneReadable()
    {
        var state = Welcomed("#lobby", "#dev");
        state.Select(state.Find("#dev")!);
        state.OnLeft("#dev");
        Assert.Equal("#lobby", state.Current?.Name);
        Assert.Equal("#dev (left)", state.Find("#dev")!.Label);
    }

    [Fact]
    public void StatusLineTellsConnectedReconnectingWithTheAttemptAndOffline()
    {
        var state = Welcomed();
        state.OnConnection(new ConnectionStatus(ParleyClientState.Connected, "127.0.0.1:12345"));
        Assert.Equal("connected to 127.0.0.1:12345 as alice", state.Status.Describe(state.Self));
        state.OnConnection(new ConnectionStatus(ParleyClientState.Reconnecting, "127.0.0.1:12345", 3, "The server closed the connection."));
        Assert.Equal("reconnecting to 127.0.0.1:12345 (attempt 3): The server closed the connection.", state.Status.Describe(state.Self));
        state.OnConnection(new ConnectionStatus(ParleyClientState.Offline, "127.0.0.1:12345"));
        Assert.Equal("offline", state.Status.Describe(state.Self));
    }

    [Fact]
    public void EveryChangeIsAnnounced()
    {
        var state = Welcomed();
        var changes = 0;
        var added = new List<ChatLine>();
        state.Changed += () => changes++;
        state.LineAdded += added.Add;
        state.OnMessage(Message("#lobby", "bob", "hi", 1));
        Assert.Equal(1, changes);
        Assert.Equal("hi", Assert.Single(added).Text);
    }

    [Fact]
    public void ADirectConversationTheWelcomeListsOpensWithItsMessagesUnreadAndItsHistoryDoesNotCountTwice()
    {
        var state = new ChatState("alice", "127.0.0.1:12345");
        var fresh = state.OnWelcome(new WelcomeFrame { User = "alice", Rooms = ["#lobby"], Seqs = new() { ["#lobby"] = 4, ["bob"] = 2 } });

        Assert.Equal(["bob"], fresh);
        Assert.Equal("bob (2)", state.Find("bob")!.Label);
        state.OnHistory(new HistoryFrame { To = "bob", Messages = [Message("alice", "bob", "one", 1), Message("alice", "bob", "two", 2)] });
        state.OnMessage(Message("alice", "bob", "two", 2));
        Assert.Equal(2, state.Find("bob")!.Unread);
        Assert.Equal(["one", "two"], state.Find("bob")!.Lines.Select(l => l.Text));
        Assert.Equal("#lobby", state.Find("#lobby")!.Label);
    }

    [Fact]
    public void ADirectConversationListedBelowWhatWasSeenIsWithANewPersonAndStartsAfresh()
    {
        var state = Welcomed();
        state.OnMessage(Message("alice", "bob", "from the old bob", 5));

        var fresh = state.OnWelcome(new WelcomeFrame { User = "alice", Rooms = ["#lobby"], Seqs = new() { ["bob"] = 1 } });

        Assert.Equal(["bob"], fresh);
        Assert.Empty(state.Find("bob")!.Lines);
        Assert.Equal(1, state.Find("bob")!.Unread);
    }

    [Fact]
    public void ANewIdentityHasNoneOfTheDirectConversationsOfBefore()
    {
        var state = Welcomed();
        state.OnMessage(Message("alice", "bob", "hi", 1));
        state.Select(state.Find("bob")!);

        state.OnWelcome(new WelcomeFrame { User = "alice", Rooms = ["#lobby"], Seqs = new() { ["#lobby"] = 0 } }, isNewIdentity: true);

        Assert.Null(state.Find("bob"));
        Assert.Equal(["#lobby"], state.Conversations.Select(c => c.Name));
        Assert.Equal("#lobby", state.Current?.Name);
    }
}
