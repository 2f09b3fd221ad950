using Parley.Tui.Screens;

namespace Parley.Tui.Tests;

public class LineWrapperTests
{
    [Fact]
    public void ShortLineStaysOneRow() => Assert.Equal(["12:00:00 hi"], LineWrapper.Wrap("12:00:00 hi", 40, 4));

    [Fact]
    public void LongLineBreaksAtSpacesAndIndentsTheRowsAfterTheFirst() =>
        Assert.Equal(["aaa bbb", "  ccc", "  ddd"], LineWrapper.Wrap("aaa bbb ccc ddd", 7, 2));

    [Fact]
    public void WordLongerThanARowIsCut() =>
        Assert.Equal(["abcde", "  fgh"], LineWrapper.Wrap("abcdefgh", 5, 2));

    [Fact]
    public void NoRowIsWiderThanAsked()
    {
        var text = string.Join(' ', Enumerable.Range(0, 200).Select(i => new string('x', i % 13 + 1)));
        Assert.All(LineWrapper.Wrap(text, 30, 11), row => Assert.True(row.Length <= 30, row));
        Assert.Equal(text.Replace(" ", "", StringComparison.Ordinal),
            string.Concat(LineWrapper.Wrap(text, 30, 11)).Replace(" ", "", StringComparison.Ordinal));
    }
}
