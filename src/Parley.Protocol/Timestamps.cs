using System.Globalization;

namespace Parley.Protocol;

/// <summary>Server timestamps: RFC 3339, UTC, millisecond precision, ending in <c>Z</c>.</summary>
public static class Timestamps
{
    /// <summary>The exact format of a <c>ts</c> field.</summary>
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>Formats a time as a <c>ts</c> field.</summary>
    public static string ToWire(DateTimeOffset time) => time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>Truncates a time to the millisecond, the precision of the wire.</summary>
    public static DateTimeOffset TruncateToMilliseconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    /// <summary>Parses a <c>ts</c> field (any RFC 3339 time is accepted).</summary>
    public static DateTimeOffset Parse(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
