namespace Parley.Tui.Screens;

/// <summary>Breaks a long line into rows of a list, at spaces where it can, indenting the rows after the first.</summary>
internal static class LineWrapper
{
    /// <summary>The rows of <paramref name="text"/> at most <paramref name="width"/> characters wide.</summary>
    public static IReadOnlyList<string> Wrap(string text, int width, int indent)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (width <= indent + 1 || text.Length <= width)
        {
            return [text];
        }
        var rows = new List<string>();
        var rest = text.AsSpan();
        var room = width;
        var prefix = "";
        while (rest.Length > room)
        {
            var cut = rest[..(room + 1)].LastIndexOf(' ');
            var take = cut > 0 ? cut : room;
            rows.Add(prefix + rest[..take].TrimEnd().ToString());
            rest = rest[take..].TrimStart();
            prefix = new string(' ', indent);
            room = width - indent;
        }
        if (rest.Length > 0)
        {
            rows.Add(prefix + rest.ToString());
        }
        return rows;
    }
}
