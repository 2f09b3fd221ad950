using Parley.Tui.Commands;

namespace Parley.Tui.Tests;

public class CommandParserTests
{
    [Fact]
    public void TextWithoutSlashIsSentAsTyped() =>
        Assert.Equal(new ChatCommand.SendText("  hello there "), CommandParser.Parse("  hello there "));

    [Fact]
    public void BlankLineDoesNothing() => Assert.Null(CommandParser.Parse("   "));

    [Fact]
    public void DoubleSlashSendsTextStartingWithSlash() =>
        Assert.Equal(new ChatCommand.SendText("/shrug"), CommandParser.Parse("//shrug"));

    [Theory]
    [InlineData("/join #dev", "#dev")]
    [InlineData("/join dev", "#dev")]
    [InlineData("/JOIN  #Dev ", "#Dev")]
    public void JoinNamesTheRoomWithHash(string line, string room) =>
        Assert.Equal(new ChatCommand.Join(room), CommandParser.Parse(line));

    [Fact]
    public void JoinWithoutRoomExplainsItsUsage() =>
        Assert.Contains("/join #room", Assert.IsType<ChatCommand.Invalid>(CommandParser.Parse("/join")).Reason, StringComparison.Ordinal);

    [Fact]
    public void LeaveWithoutRoomMeansTheRoomShown() =>
        Assert.Equal(new ChatCommand.Leave(null), CommandParser.Parse("/leave"));

    [Fact]
    public void MsgTakesTheNameAndTheRestAsText() =>
        Assert.Equal(new ChatCommand.DirectMessage("bob", "see you at  noon"), CommandParser.Parse("/msg bob see you at  noon"));

    [Fact]
    public void MsgWithOnlyANameOpensTheConversation() =>
        Assert.Equal(new ChatCommand.DirectMessage("bob", null), CommandParser.Parse("/msg bob"));

    [Fact]
    public void RegisterWithoutPasswordAsksForOne() =>
        Assert.Equal(new ChatCommand.Register(null), CommandParser.Parse("/register"));

    [Theory]
    [InlineData("/who", typeof(ChatCommand.Who))]
    [InlineData("/rooms", typeof(ChatCommand.ListRooms))]
    [InlineData("/help", typeof(ChatCommand.Help))]
    [InlineData("/quit", typeof(ChatCommand.Quit))]
    public void SimpleCommandsAreRecognised(string line, Type expected) =>
        Assert.IsType(expected, CommandParser.Parse(line));

    [Fact]
    public void UnknownCommandSaysSoAndPointsToHelp()
    {
        var invalid = Assert.IsType<ChatCommand.Invalid>(CommandParser.Parse("/frobnicate now"));
        Assert.Contains("/frobnicate", invalid.Reason, StringComparison.Ordinal);
        Assert.Contains("/help", invalid.Reason, StringComparison.Ordinal);
    }
}
