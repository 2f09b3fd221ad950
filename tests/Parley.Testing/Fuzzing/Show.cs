using System.Globalization;
using System.Text;

namespace Parley.Testing.Fuzzing;

/// <summary>How a failing case shows bytes and strings: printable ASCII as is, everything else escaped, so that the case can be read and pasted.</summary>
public static class Show
{
    /// <summary>UTF-8 bytes as text, with what is not printable ASCII as <c>\xNN</c>.</summary>
    public static string Bytes(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length + 2).Append('"');
        foreach (var b in bytes)
        {
            _ = b is >= 0x20 and < 0x7f and not (byte)'"' and not (byte)'\\'
                ? text.Append((char)b)
                : text.Append("\\x").Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }
        return text.Append('"').ToString();
    }

    /// <summary>A string with what is not printable ASCII as <c>\uXXXX</c>.</summary>
    public static string Text(string? value)
    {
        if (value is null)
        {
            return "null";
        }
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c is >= ' ' and < '\u007f' and not '"' and not '\\'
                ? text.Append(c)
                : text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }
        return text.Append('"').ToString();
    }
}
