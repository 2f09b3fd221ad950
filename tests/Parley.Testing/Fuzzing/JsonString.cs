namespace Parley.Testing.Fuzzing;

/// <summary>
/// A JSON string as a generator wrote it: the UTF-16 characters it stands for (a lone surrogate
/// included, when one was escaped) and its quoted text on the wire, escapes and all.
/// </summary>
/// <param name="Value">The characters the string stands for once its escapes are read.</param>
/// <param name="Json">The string as written in JSON, with its quotes.</param>
public sealed record JsonString(string Value, string Json)
{
    /// <summary>True when every surrogate is half of a pair: the string is Unicode text.</summary>
    public bool IsWellFormed => IsUnicode(Value);

    /// <summary>How many code points the string holds: a surrogate pair is one.</summary>
    public int CodePoints
    {
        get
        {
            var count = 0;
            for (var i = 0; i < Value.Length; i++)
            {
                if (char.IsHighSurrogate(Value[i]) && i + 1 < Value.Length && char.IsLowSurrogate(Value[i + 1]))
                {
                    i++;
                }
                count++;
            }
            return count;
        }
    }

    /// <summary>True when every surrogate in <paramref name="text"/> is half of a pair.</summary>
    public static bool IsUnicode(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }
        return true;
    }
}
