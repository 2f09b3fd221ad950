namespace Parley.Tui.State;

/// <summary>What a notice line tells.</summary>
internal enum NoticeKind
{
    /// <summary>The answer to a command, or a change the user made.</summary>
    Info,
    /// <summary>Someone joined, left or quit.</summary>
    Presence,
    /// <summary>Something failed.</summary>
    Error,
}
