using System.Globalization;

namespace Parley.Protocol.Tests;

public class TimestampsTests
{
    private static readonly DateTimeOffset Example = new(2026, 11, 24, 9, 0, 1, 250, TimeSpan.Zero);

    [Fact]
    public void WireFormatIsRfc3339UtcWithMillisecondsAndZ()
    {
        Assert.Equal("2026-11-24T09:00:01.250Z", Timestamps.ToWire(Example));
    }

    [Theory]
    [InlineData(0L, "2026-11-24T09:00:01.250Z")]
    [InlineData(1L, "2026-11-24T09:00:01.250Z")]
    [InlineData(9_999L, "2026-11-24T09:00:01.250Z")]
    [InlineData(10_000L, "2026-11-24T09:00:01.251Z")]
    [InlineData(7_499_999L, "2026-11-24T09:00:01.999Z")]
    [InlineData(7_500_000L, "2026-11-24T09:00:02.000Z")]
    public void WireFormatTruncatesToTheMillisecond(long extraTicks, string expected)
    {
        Assert.Equal(expected, Timestamps.ToWire(Example.AddTicks(extraTicks)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-5)]
    [InlineData(14)]
    public void WireFormatIsInUtcWhateverTheOffset(int offsetHours)
    {
        var local = Example.ToOffset(TimeSpan.FromHours(offsetHours));

        Assert.Equal("2026-11-24T09:00:01.250Z", Timestamps.ToWire(local));
    }

    [Theory]
    [InlineData(1, 1, 1, 0, 0, 0, 0, "0001-01-01T00:00:00.000Z")]
    [InlineData(1970, 1, 1, 0, 0, 0, 0, "1970-01-01T00:00:00.000Z")]
    [InlineData(2026, 2, 3, 4, 5, 6, 7, "2026-02-03T04:05:06.007Z")]
    [InlineData(2026, 12, 31, 23, 59, 59, 999, "2026-12-31T23:59:59.999Z")]
    [InlineData(9999, 12, 31, 23, 59, 59, 999, "9999-12-31T23:59:59.999Z")]
    public void WireFormatPadsEveryField(int year, int month, int day, int hour, int minute, int second, int millisecond, string expected)
    {
        var time = new DateTimeOffset(year, month, day, hour, minute, second, millisecond, TimeSpan.Zero);

        Assert.Equal(expected, Timestamps.ToWire(time));
    }

    [Fact]
    public void WireFormatDoesNotDependOnTheCurrentCulture()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            // a Buddhist calendar and Arabic-Indic digits must not reach the wire
            foreach (var name in new[] { "th-TH", "ar-SA", "fa-IR", "de-DE" })
            {
                CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
                Assert.Equal("2026-11-24T09:00:01.250Z", Timestamps.ToWire(Example));
                Assert.Equal(Example, Timestamps.Parse("2026-11-24T09:00:01.250Z"));
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void TruncationDropsTheSubMillisecondPartAndGivesUtc()
    {
        var time = Example.ToOffset(TimeSpan.FromHours(2)).AddTicks(9_999);

        var truncated = Timestamps.TruncateToMilliseconds(time);

        Assert.Equal(Example, truncated);
        Assert.Equal(TimeSpan.Zero, truncated.Offset);
        Assert.Equal(0, truncated.UtcTicks % TimeSpan.TicksPerMillisecond);
    }

    [Fact]
    public void TruncationKeepsAWholeMillisecond()
    {
        Assert.Equal(Example, Timestamps.TruncateToMilliseconds(Example));
    }

    [Theory]
    [InlineData("2026-11-24T09:00:01.250Z")]
    [InlineData("2026-11-24T10:00:01.250+01:00")]
    [InlineData("2026-11-24T04:00:01.250-05:00")]
    [InlineData("2026-11-24T09:00:01.25Z")]
    [InlineData("2026-11-24T09:00:01.2500000Z")]
    [InlineData("2026-11-24 09:00:01.250Z")]
    public void ParseReadsRfc3339TimesAsUtc(string value)
    {
        var parsed = Timestamps.Parse(value);

        Assert.Equal(Example, parsed);
        Assert.Equal(TimeSpan.Zero, parsed.Offset);
    }

    [Fact]
    public void ParseOfAWholeSecondHasNoFraction()
    {
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 0, 1, TimeSpan.Zero), Timestamps.Parse("2026-11-24T09:00:01Z"));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(123_456_789L)]
    [InlineData(638_999_999_999_999_999L)]
    public void ParseOfWireFormatRoundTripsTheTruncatedTime(long ticks)
    {
        var time = new DateTimeOffset(ticks, TimeSpan.Zero).AddYears(2000);

        var roundTripped = Timestamps.Parse(Timestamps.ToWire(time));

        Assert.Equal(Timestamps.TruncateToMilliseconds(time), roundTripped);
        Assert.Equal(Timestamps.ToWire(time), Timestamps.ToWire(roundTripped));
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2026-13-01T00:00:00.000Z")]
    [InlineData("2026-11-24T25:00:00.000Z")]
    public void ParseRefusesWhatIsNotATime(string value)
    {
        Assert.Throws<FormatException>(() => Timestamps.Parse(value));
    }
}
