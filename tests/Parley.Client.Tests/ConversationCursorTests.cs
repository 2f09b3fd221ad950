using Parley.Client.Internal;
using Parley.Protocol.Frames;

namespace Parley.Client.Tests;

public class ConversationCursorTests
{
    private static MessageFrame Message(string to, string from, long seq) =>
        new() { To = to, From = from, Seq = seq, Text = "hi", Ts = DateTimeOffset.UnixEpoch };

    private static WelcomeFrame Welcome(string user, Dictionary<string, long>? seqs, params string[] rooms) =>
        new() { User = user, Rooms = [.. rooms], Seqs = seqs };

    [Fact]
    public void AMessageAtOrBelowTheLastSeenSeqIsDropped()
    {
        var cursor = new ConversationCursor("alice");
        Assert.True(cursor.Accept(Message("#lobby", "bob", 1)));
        Assert.True(cursor.Accept(Message("#lobby", "bob", 2)));

        Assert.False(cursor.Accept(Message("#lobby", "bob", 2)));
        Assert.False(cursor.Accept(Message("#lobby", "bob", 1)));
        Assert.True(cursor.Accept(Message("#lobby", "bob", 3)));
        Assert.Equal(3, cursor.LastSeen("#lobby"));
    }

    [Fact]
    public void ConversationsAreCountedApart()
    {
        var cursor = new ConversationCursor("alice");
        Assert.True(cursor.Accept(Message("#a", "bob", 5)));
        Assert.True(cursor.Accept(Message("#b", "bob", 1)));
        Assert.True(cursor.Accept(Message("alice", "bob", 1)));
        Assert.True(cursor.Accept(Message("alice", "carol", 1)));

        Assert.Equal(5, cursor.LastSeen("#a"));
        Assert.Equal(1, cursor.LastSeen("#b"));
        Assert.Equal(1, cursor.LastSeen("bob"));
        Assert.Equal(1, cursor.LastSeen("carol"));
    }

    [Fact]
    public void ADirectMessageBelongsToTheOtherPartyInBothDirections()
    {
        var cursor = new ConversationCursor("alice");
        Assert.True(cursor.Accept(Message("alice", "bob", 1)));

        // alice's own message to bob, replayed by resume: counted in bob's conversation, not delivered
        Assert.False(cursor.Accept(Message("bob", "alice", 2)));

        Assert.Equal(2, cursor.LastSeen("bob"));
        Assert.False(cursor.Accept(Message("alice", "bob", 2)));
    }

    [Fact]
    public void NamesAndRoomsCompareCaseInsensitively()
    {
        var cursor = new ConversationCursor("Alice");
        Assert.True(cursor.Accept(Message("#Lobby", "Bob", 4)));
        Assert.True(cursor.Accept(Message("alice", "BOB", 1)));

        Assert.False(cursor.Accept(Message("#lobby", "bob", 4)));
        Assert.False(cursor.Accept(Message("ALICE", "bob", 1)));
        Assert.Equal(4, cursor.LastSeen("#LOBBY"));
    }

    [Fact]
    public void TheUsersOwnMessagesAreCountedButNeverDelivered()
    {
        var cursor = new ConversationCursor("alice");
        Assert.False(cursor.Accept(Message("#lobby", "Alice", 7)));
        Assert.Equal(7, cursor.LastSeen("#lobby"));
    }

    [Fact]
    public void WelcomeSeqsAreTheBaselineOfRoomsSeenNothingOf()
    {
        var cursor = new ConversationCursor("alice");
        cursor.OnWelcome(Welcome("alice", new() { ["#lobby"] = 40, ["#dev"] = 0 }, "#lobby", "#dev"));

        Assert.Equal(40, cursor.LastSeen("#lobby"));
        Assert.Equal(0, cursor.LastSeen("#dev"));
        Assert.False(cursor.Accept(Message("#lobby", "bob", 40)));
        Assert.True(cursor.Accept(Message("#lobby", "bob", 41)));
        Assert.True(cursor.Accept(Message("#dev", "bob", 1)));
    }

    [Fact]
    public void AWelcomeAfterResumeLeavesTheRoomsResumedWhereTheyWere()
    {
        var cursor = new ConversationCursor("alice");
        cursor.OnWelcome(Welcome("alice", new() { ["#lobby"] = 10 }, "#lobby"));
        Assert.True(cursor.Accept(Message("#lobby", "bob", 11)));

        // reconnect: the room moved on to 15 meanwhile; the replay of 12..15 follows the welcome
        cursor.OnWelcome(Welcome("alice", new() { ["#lobby"] = 15 }, "#lobby"));

        Assert.Equal(11, cursor.LastSeen("#lobby"));
        Assert.True(cursor.Accept(Message("#lobby", "bob", 12)));
    }

    [Fact]
    public void AWelcomeWithoutSeqsLeavesTheBaselineToTheFirstMessage()
    {
        var cursor = new ConversationCursor("alice");
        cursor.OnWelcome(Welcome("alice", null, "#lobby"));

        Assert.Null(cursor.LastSeen("#lobby"));
        Assert.True(cursor.Accept(Message("#lobby", "bob", 3)));
        Assert.Equal(3, cursor.LastSeen("#lobby"));
    }

    [Fact]
    public void JoinedSeqIsTheBaselineOfANewlyJoinedRoom()
    {
        var cursor = new ConversationCursor("alice");
        cursor.OnJoined("#dev", 25);

        Assert.Equal(25, cursor.LastSeen("#dev"));
        Assert.Contains("#dev", cursor.JoinedRooms);
        Assert.True(cursor.Accept(Message("#dev", "bob", 26)));
    }

    [Fact]
    public void JoiningAgainNeverMovesARoomBack()
    {
        var cursor = new ConversationCursor("alice");
        cursor.OnJoined("#dev", 5);
        Assert.True(cursor.Accept(Message("#dev", "bob", 9)));
        cursor.OnLeft("#dev");

        cursor.OnJoined("#dev", 3);

        Assert.Equal(9, cursor.LastSeen("#dev"));
    }

    [Fact]
    public void RejoiningARoomSkipsWhatWasSaidWhileTheUserWasOut()
    {
        var cursor = new ConversationCursor("alice");
        cursor.OnJoined("#dev", 5);
        cursor.OnLeft("#dev");

        cursor.OnJoined("#dev", 30);

        Assert.Equal(30, cursor.LastSeen("#dev"));
    }

    [Fact]
    public void AJoinedReplyForARoomAlreadyJoinedChangesNothing()
    {
        var cursor = new ConversationCursor("alice");
        cursor.OnJoined("#dev", 5);
        Assert.True(cursor.Accept(Message("#dev", "bob", 6)));

        // messages 7 and 8 may still be on their way when the second joined says 8
        cursor.OnJoined("#dev", 8);

        Assert.Equal(6, cursor.LastSeen("#dev"));
        Assert.True(cursor.Accept(Message("#dev", "bob", 7)));
    }

    [Fact]
    public void AnAckMovesTheCursorOnOnlyWhenEverySeqBelowItHasBeenSeen()
    {
        var cursor = new ConversationCursor("alice");
        cursor.OnJoined("#dev", 10);

        cursor.OnAcknowledged("#dev", 12);
        Assert.Equal(10, cursor.LastSeen("#dev"));

        // 11 from bob arrives after alice's ack of 12: it must still be delivered
        Assert.True(cursor.Accept(Message("#dev", "bob", 11)));
        Assert.Equal(12, cursor.LastSeen("#dev"));

        cursor.OnAcknowledged("#dev", 13);
        Assert.Equal(13, cursor.LastSeen("#dev"));
    }

    [Fact]
    public void ResumeListsJoinedRoomsAndDirectConversationsButNotRoomsLeft()
    {
        var cursor = new ConversationCursor("alice");
        cursor.OnWelcome(Welcome("alice", new() { ["#lobby"] = 3 }, "#lobby"));
        cursor.OnJoined("#dev", 0);
        cursor.OnJoined("#old", 8);
        cursor.OnLeft("#old");
        Assert.True(cursor.Accept(Message("#dev", "bob", 1)));
        Assert.True(cursor.Accept(Message("alice", "Carol", 4)));

        var resume = cursor.BuildResume();

        Assert.Equal(new Dictionary<string, long> { ["#lobby"] = 3, ["#dev"] = 1, ["Carol"] = 4 }, resume);
    }

    [Fact]
    public void ADirectConversationStartedByTheUserResumesFromBeforeItsFirstMessage()
    {
        var cursor = new ConversationCursor("alice");

        cursor.OnAcknowledged("bob", 7);
        cursor.OnAcknowledged("bob", 8);

        Assert.Equal(6, cursor.BuildResume()["bob"]);
        // the replay brings alice's own 7 and 8 back: counted, not delivered; bob's answer is delivered
        Assert.False(cursor.Accept(Message("bob", "alice", 7)));
        Assert.False(cursor.Accept(Message("bob", "alice", 8)));
        Assert.True(cursor.Accept(Message("alice", "bob", 9)));
        Assert.Equal(9, cursor.BuildResume()["bob"]);
    }

    [Fact]
    public void AJoinedRoomWithNoBaselineResumesFromZero()
    {
        var cursor = new ConversationCursor("alice");
        cursor.OnJoined("#dev", null);

        Assert.Equal(0, cursor.BuildResume()["#dev"]);
    }

    [Fact]
    public void TheWelcomeDecidesWhichRoomsAreJoined()
    {
        var cursor = new ConversationCursor("alice");
        cursor.OnWelcome(Welcome("alice", null, "#lobby", "#dev"));
        cursor.OnJoined("#ops", 1);

        cursor.OnWelcome(Welcome("Alice", null, "#lobby", "#ops"));

        Assert.Equal(["#lobby", "#ops"], cursor.JoinedRooms.Order());
        Assert.Equal("Alice", cursor.Self);
    }

    [Fact]
    public void ADirectConversationTheWelcomeListsBelowWhatWasSeenStartsAfreshWithTheNewPersonUnderTheName()
    {
        var cursor = new ConversationCursor("alice");
        cursor.OnWelcome(Welcome("alice", new() { ["#lobby"] = 0 }, "#lobby"));
        Assert.True(cursor.Accept(Message("alice", "bob", 7)));
        Assert.True(cursor.Accept(Message("alice", "carol", 3)));

        // the bob of before is gone; a new bob has written once
        cursor.OnWelcome(Welcome("alice", new() { ["#lobby"] = 0, ["BOB"] = 1, ["carol"] = 3 }, "#lobby"));

        Assert.Null(cursor.LastSeen("bob"));
        Assert.Equal(3, cursor.LastSeen("carol"));
        Assert.True(cursor.Accept(Message("alice", "bob", 1)));
        Assert.Equal(1, cursor.LastSeen("bob"));
    }

    [Fact]
    public void ANewIdentityResumesNoDirectConversationOfTheOldOne()
    {
        var cursor = new ConversationCursor("alice");
        cursor.OnWelcome(Welcome("alice", new() { ["#lobby"] = 0 }, "#lobby"));
        Assert.True(cursor.Accept(Message("alice", "bob", 2)));
        Assert.True(cursor.Accept(Message("#lobby", "bob", 4)));

        cursor.OnWelcome(Welcome("alice", new() { ["#lobby"] = 4 }, "#lobby"), isNewIdentity: true);

        Assert.Equal(new Dictionary<string, long> { ["#lobby"] = 4 }, cursor.BuildResume());
    }
}
