namespace Parley.Tui.Commands;

/// <summary>What one line of the entry field asks for.</summary>
internal abstract record ChatCommand
{
    /// <summary>A message to the conversation shown.</summary>
    public sealed record SendText(string Text) : ChatCommand;

    /// <summary><c>/join #room</c>.</summary>
    public sealed record Join(string Room) : ChatCommand;

    /// <summary><c>/leave [#room]</c>: the room shown when none is named.</summary>
    public sealed record Leave(string? Room) : ChatCommand;

    /// <summary><c>/msg NAME [text]</c>: opens the direct conversation, and sends the text if there is one.</summary>
    public sealed record DirectMessage(string User, string? Text) : ChatCommand;

    /// <summary><c>/who [#room]</c>: the members of the room shown when none is named.</summary>
    public sealed record Who(string? Room) : ChatCommand;

    /// <summary><c>/rooms</c>.</summary>
    public sealed record ListRooms : ChatCommand;

    /// <summary><c>/register [password]</c>: the client asks for the password when none is given.</summary>
    public sealed record Register(string? Password) : ChatCommand;

    /// <summary><c>/help</c>.</summary>
    public sealed record Help : ChatCommand;

    /// <summary><c>/quit</c>.</summary>
    public sealed record Quit : ChatCommand;

    /// <summary>A line that is no command: why, in a sentence.</summary>
    public sealed record Invalid(string Reason) : ChatCommand;
}
