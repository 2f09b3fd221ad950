namespace Parley.Tui;

/// <summary>What the caller of <see cref="ChatController.ExecuteAsync"/> has to do next.</summary>
internal enum CommandOutcome
{
    /// <summary>Nothing: the command is done (or is being delivered).</summary>
    Done,
    /// <summary>The user asked to leave.</summary>
    Quit,
    /// <summary><c>/register</c> without a password: ask for one, then call <see cref="ChatController.RegisterAsync"/>.</summary>
    NeedsPassword,
}
