using Parley.Client;
using Parley.Protocol.Frames;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Parley.Tui.Screens;

/// <summary>
/// Asks for a username (and a password, for a registered name) and connects. A refusal or an unreachable
/// server is shown in the dialog and the user tries again; on success <see cref="Client"/> is connected.
/// </summary>
internal sealed class LoginDialog : Window
{
    private readonly IApplication _app;
    private readonly ClientCommandLine _options;
    private readonly TextField _name;
    private readonly TextField _password;
    private readonly Label _message;
    private readonly Button _connect;
    private bool _connecting;

    /// <summary>Builds the dialog; the name is filled in from <c>--user</c> when given.</summary>
    public LoginDialog(IApplication app, ClientCommandLine options)
    {
        _app = app;
        _options = options;
        Title = "Parley";
        X = Pos.Center();
        Y = Pos.Center();
        Width = 64;
        Height = 12;

        var server = new Label { Text = $"Server: {options.ServerText}", X = 1, Y = 0 };
        var nameLabel = new Label { Text = "_Name:", X = 1, Y = 2 };
        _name = new TextField { Text = options.User ?? "", X = 12, Y = 2, Width = Dim.Fill(2) };
        var passwordLabel = new Label { Text = "_Password:", X = 1, Y = 4 };
        _password = new TextField { X = 12, Y = 4, Width = Dim.Fill(2), Secret = true };
        var hint = new Label { Text = "(only for a registered name)", X = 12, Y = 5 };
        _message = new Label { Text = "", X = 1, Y = 7, Width = Dim.Fill(2), HotKeySpecifier = PlainText.NoHotKey };
        _connect = new Button { Text = "_Connect", X = Pos.Center() - 10, Y = 9, IsDefault = true, ShadowStyle = ShadowStyles.None };
        var quit = new Button { Text = "_Quit", X = Pos.Center() + 4, Y = 9, ShadowStyle = ShadowStyles.None };
        Add(server, nameLabel, _name, passwordLabel, _password, hint, _message, _connect, quit);

        _name.OnAccept(BeginConnect);
        _password.OnAccept(BeginConnect);
        _connect.OnAccept(BeginConnect);
        quit.OnAccept(RequestStop);
    }

    /// <summary>The connected client, once the server welcomed the user; null if the user quit.</summary>
    public ParleyClient? Client { get; private set; }

    /// <summary>The server's welcome to <see cref="Client"/>.</summary>
    public WelcomeFrame? Welcome { get; private set; }

    private void BeginConnect()
    {
        var name = _name.Text.Trim();
        if (_connecting)
        {
            return;
        }
        if (name.Length == 0)
        {
            _message.Text = "Type a name first.";
            _name.SetFocus();
            return;
        }
        _connecting = true;
        _connect.Enabled = false;
        _message.Text = $"Connecting to {_options.ServerText} …";
        var password = _password.Text;
        _ = Task.Run(() => ConnectAsync(name, password.Length == 0 ? null : password));
    }

    private async Task ConnectAsync(string name, string? password)
    {
        var client = new ParleyClient(new ParleyClientOptions { Server = _options.Server, TrustedCertificate = _options.TrustedCertificate, User = name, Password = password });
        try
        {
            var welcome = await client.ConnectAsync().ConfigureAwait(false);
            _app.Invoke(() =>
            {
                Client = client;
                Welcome = welcome;
                RequestStop();
            });
        }
        catch (ParleyException e)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            _app.Invoke(() =>
            {
                _message.Text = ConnectFailure.Describe(e, _options.ServerText);
                _connecting = false;
                _connect.Enabled = true;
                (e.Code == Parley.Protocol.ErrorCodes.AuthFailed ? _password : _name).SetFocus();
            });
        }
    }
}
