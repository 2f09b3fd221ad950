namespace Parley.Protocol.Tests;

public class TextRulesTests
{
    [Theory]
    [InlineData("hi")]
    [InlineData("hi all")]
    [InlineData(" leading and trailing space ")]
    [InlineData("line one\nline two")]
    [InlineData("col\tcol")]
    [InlineData("\n\tindented\n")]
    [InlineData("héllo wörld, 日本語, Ωμέγα, עברית")]
    [InlineData("😀")]
    [InlineData("👍🏽 and 👨‍👩‍👧 and 🇫🇷")]
    [InlineData("e\u0301")]
    [InlineData("a\u200bb")]
    [InlineData("x")]
    [InlineData(".")]
    [InlineData("\u200bhi")]
    [InlineData("\u3164a")]
    [InlineData("\u2801")] // a braille pattern with a dot
    [InlineData("\u0301")] // a lone accent shows
    [InlineData("photo_\u202egnp.exe")] // shown, and isolated by clients
    public void OrdinaryTextIsAccepted(string text)
    {
        Assert.Null(TextRules.Check(text));
    }

    [Theory]
    [InlineData("\u0000")]
    [InlineData("a\u0000b")]
    [InlineData("bell\u0007")]
    [InlineData("\u001b[31mred")]
    [InlineData("del\u007f")]
    [InlineData("next\u0085line")]
    [InlineData("\u009f")]
    [InlineData("carriage\rreturn")]
    [InlineData("form\ffeed")]
    [InlineData("vertical\vtab")]
    [InlineData("back\bspace")]
    [InlineData("   \u0007   ")]
    public void ControlCharacterOtherThanNewlineAndTabIsInvalid(string text)
    {
        Assert.Equal(ErrorCodes.InvalidField, TextRules.Check(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("     ")]
    [InlineData("\t")]
    [InlineData("\n")]
    [InlineData(" \n\t \n ")]
    [InlineData("\u3000")]
    [InlineData("\u3000 \u3000")]
    [InlineData("\u00a0")]
    [InlineData("\u2003\u2009\u202f")]
    [InlineData("\u2028\u2029")]
    [InlineData("\u200b")] // ZERO WIDTH SPACE
    [InlineData("\u3164")] // HANGUL FILLER
    [InlineData("\u2800")] // BRAILLE PATTERN BLANK
    [InlineData("\u115f\u1160")]
    [InlineData("\uffa0")]
    [InlineData("\ufeff")]
    [InlineData("\u00ad")]
    [InlineData("\u2060")]
    [InlineData("\ufe0f")]
    [InlineData("\u202e")]
    [InlineData("\u2066\u2069")]
    [InlineData("\U000E0020\U000E007F")] // tag characters
    [InlineData("\U0001D159")] // MUSICAL SYMBOL NULL NOTEHEAD
    [InlineData("\U00016FE4")] // KHITAN SMALL SCRIPT FILLER
    [InlineData(" \u200b\n\u3164\t\u2800 ")]
    public void BlankTextIsEmptyText(string text)
    {
        Assert.Equal(ErrorCodes.EmptyText, TextRules.Check(text));
    }

    // the surrogate comes as a number: xunit would turn a lone surrogate in a string into U+FFFD
    [Theory]
    [InlineData("a", 0xD800, "")]
    [InlineData("", 0xD800, "")]
    [InlineData("", 0xDC00, "a")]
    [InlineData("ok ", 0xD83D, "")]
    [InlineData(" ", 0xD800, " ")]
    [InlineData("😀", 0xDE00, "😀")]
    public void LoneSurrogateIsInvalid(string before, int surrogate, string after)
    {
        Assert.Equal(ErrorCodes.InvalidField, TextRules.Check(before + (char)surrogate + after));
    }

    [Theory]
    [InlineData("a", ProtocolLimits.MaxTextLength, null)]
    [InlineData("a", ProtocolLimits.MaxTextLength + 1, ErrorCodes.TextTooLong)]
    [InlineData("😀", ProtocolLimits.MaxTextLength, null)]
    [InlineData("😀", ProtocolLimits.MaxTextLength + 1, ErrorCodes.TextTooLong)]
    [InlineData("é", ProtocolLimits.MaxTextLength, null)]
    [InlineData("e\u0301", ProtocolLimits.MaxTextLength, null)]
    [InlineData("e\u0301", ProtocolLimits.MaxTextLength + 1, ErrorCodes.TextTooLong)]
    [InlineData("\u1100\u1161\u11a8", ProtocolLimits.MaxTextLength, null)]
    [InlineData("a\n", ProtocolLimits.MaxTextLength / 2, null)]
    [InlineData("a\n", (ProtocolLimits.MaxTextLength / 2) + 1, ErrorCodes.TextTooLong)]
    public void LengthCountsCodePointsAfterNfc(string character, int count, string? expected)
    {
        var text = string.Concat(Enumerable.Repeat(character, count));

        Assert.Equal(expected, TextRules.Check(text));
    }

    [Fact]
    public void FourThousandEmojiOf8000Utf16UnitsAreAccepted()
    {
        var text = string.Concat(Enumerable.Repeat("😀", ProtocolLimits.MaxTextLength));
        Assert.Equal(2 * ProtocolLimits.MaxTextLength, text.Length);

        Assert.Null(TextRules.Check(text));
    }

    [Fact]
    public void TextOf4001CodePointsThatNfcComposesTo4000IsAccepted()
    {
        var text = new string('a', ProtocolLimits.MaxTextLength - 1) + "e\u0301";

        Assert.Null(TextRules.Check(text));
    }

    [Fact]
    public void TextThatNfcLengthensPastTheLimitIsTooLong()
    {
        // U+0958 DEVANAGARI LETTER QA is excluded from composition: NFC writes it as two code points
        var text = new string('\u0958', (ProtocolLimits.MaxTextLength / 2) + 1);
        Assert.Equal((ProtocolLimits.MaxTextLength / 2) + 1, text.Length);

        Assert.Equal(ErrorCodes.TextTooLong, TextRules.Check(text));
    }

    [Fact]
    public void TextThatNfcLengthensToExactlyTheLimitIsAccepted()
    {
        var text = new string('\u0958', ProtocolLimits.MaxTextLength / 2);

        Assert.Null(TextRules.Check(text));
    }

    // ASCII only: .NET's NFC check of a non-ASCII text allocates on its own
    [Theory]
    [InlineData("hello, this is an ordinary message")]
    [InlineData(" \t \n indented")]
    public void CheckingAnAsciiTextAllocatesNothing(string text)
    {
        Assert.Null(TextRules.Check(text));

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Null(TextRules.Check(text));

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void InvalidCharacterIsReportedBeforeLength()
    {
        var text = new string('a', ProtocolLimits.MaxTextLength + 1) + "\u0007";

        Assert.Equal(ErrorCodes.InvalidField, TextRules.Check(text));
    }
}
