using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Parley.Tui.Screens;

/// <summary>Asks for a new password for <c>/register</c>.</summary>
internal sealed class PasswordDialog : Window
{
    private readonly TextField _password;

    /// <summary>Builds the dialog.</summary>
    public PasswordDialog()
    {
        Title = "Register your name";
        X = Pos.Center();
        Y = Pos.Center();
        Width = 56;
        Height = 8;
        var label = new Label { Text = "_Password (8 characters or more):", X = 1, Y = 0 };
        _password = new TextField { X = 1, Y = 1, Width = Dim.Fill(2), Secret = true };
        var ok = new Button { Text = "_Register", X = Pos.Center() - 12, Y = 3, IsDefault = true, ShadowStyle = ShadowStyles.None };
        var cancel = new Button { Text = "Ca_ncel", X = Pos.Center() + 3, Y = 3, ShadowStyle = ShadowStyles.None };
        Add(label, _password, ok, cancel);
        _password.OnAccept(Accept);
        ok.OnAccept(Accept);
        cancel.OnAccept(RequestStop);
    }

    /// <summary>The password typed, or null when cancelled.</summary>
    public string? Password { get; private set; }

    private void Accept()
    {
        Password = _password.Text.Length == 0 ? null : _password.Text;
        RequestStop();
    }
}
