using Terminal.Gui.ViewBase;

namespace Parley.Tui.Screens;

/// <summary>Enter on a field, a click or hot key on a button: one way to say what happens.</summary>
internal static class AcceptingExtensions
{
    /// <summary>Runs <paramref name="action"/> when the view is accepted, and marks the event handled.</summary>
    public static void OnAccept(this View view, Action action)
    {
        view.Accepting += (_, e) =>
        {
            e.Handled = true;
            action();
        };
    }
}
