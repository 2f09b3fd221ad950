namespace Parley.Tui.Commands;

/// <summary>
/// Reads a line of the entry field: text to send, or a <c>/</c> command. Pure: no state, no I/O.
/// A line starting with <c>//</c> sends the text with one <c>/</c> less.
/// </summary>
internal static class CommandParser
{
    /// <summary>What <c>/help</c> shows, one command a line.</summary>
    public static IReadOnlyList<string> HelpLines { get; } =
    [
        "/join #room       join a room (created if new) and show it",
        "/leave [#room]    leave the room shown, or the one named",
        "/msg NAME [text]  open the direct conversation with NAME, sending text if given",
        "/who [#room]      the members of the room shown, or the one named",
        "/rooms            the rooms with people in them",
        "/register         protect your name with a password",
        "/help             this list",
        "/quit             leave",
        "//text            send a text that starts with /",
    ];

    /// <summary>The command a line stands for; null for a blank line, which does nothing.</summary>
    public static ChatCommand? Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var trimmed = line.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }
        if (!trimmed.StartsWith('/'))
        {
            return new ChatCommand.SendText(line);
        }
        if (trimmed.StartsWith("//", StringComparison.Ordinal))
        {
            return new ChatCommand.SendText(line.TrimStart()[1..]);
        }

        var space = trimmed.IndexOfAny([' ', '\t']);
        var verb = (space < 0 ? trimmed[1..] : trimmed[1..space]).ToUpperInvariant();
        var rest = space < 0 ? "" : trimmed[(space + 1)..].Trim();
        var (first, remainder) = SplitFirst(rest);
        return verb switch
        {
            "JOIN" when first is null => new ChatCommand.Invalid("Usage: /join #room"),
            "JOIN" when remainder is not null => new ChatCommand.Invalid("A room name has no spaces: /join #room"),
            "JOIN" => new ChatCommand.Join(AsRoom(first)),
            "LEAVE" or "PART" => new ChatCommand.Leave(first is null ? null : AsRoom(first)),
            "MSG" or "QUERY" when first is null => new ChatCommand.Invalid("Usage: /msg NAME text"),
            "MSG" or "QUERY" => new ChatCommand.DirectMessage(first, remainder),
            "WHO" or "NAMES" => new ChatCommand.Who(first is null ? null : AsRoom(first)),
            "ROOMS" or "LIST" => new ChatCommand.ListRooms(),
            "REGISTER" => new ChatCommand.Register(rest.Length == 0 ? null : rest),
            "HELP" or "?" => new ChatCommand.Help(),
            "QUIT" or "EXIT" => new ChatCommand.Quit(),
            _ => new ChatCommand.Invalid($"There is no command /{(space < 0 ? trimmed[1..] : trimmed[1..space])}: /help lists them."),
        };
    }

    /// <summary>Rooms are written with <c>#</c>; <c>/join dev</c> means <c>#dev</c>.</summary>
    private static string AsRoom(string name) => name.StartsWith('#') ? name : "#" + name;

    private static (string? First, string? Remainder) SplitFirst(string text)
    {
        if (text.Length == 0)
        {
            return (null, null);
        }
        var space = text.IndexOfAny([' ', '\t']);
        if (space < 0)
        {
            return (text, null);
        }
        var remainder = text[(space + 1)..].Trim();
        return (text[..space], remainder.Length == 0 ? null : remainder);
    }
}
