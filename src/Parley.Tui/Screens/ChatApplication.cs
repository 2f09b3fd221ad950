using Parley.Tui.State;
using Terminal.Gui.App;

namespace Parley.Tui.Screens;

/// <summary>The windowed client: the login dialog, then the chat window until it is closed or <c>/quit</c>.</summary>
internal static class ChatApplication
{
    /// <summary>Runs the windowed client; returns the exit code.</summary>
    public static async Task<int> RunAsync(ClientCommandLine options)
    {
        using IApplication app = Application.Create();
        app.Init();

        using var login = new LoginDialog(app, options);
        app.Run(login);
        if (login.Client is not { } client || login.Welcome is not { } welcome)
        {
            return 0;
        }

        await using (client)
        {
            var state = new ChatState(welcome.User, options.ServerText);
            var controller = new ChatController(client, state, action => app.Invoke(action), options.ServerText);
            using var window = new ChatWindow(app, state, controller);
            state.Changed += window.Render;
            controller.Attach();
            controller.OnWelcome(welcome);
            state.OnConnection(new ConnectionStatus(client.State, options.ServerText));
            app.Run(window);
            controller.Detach();
            state.Changed -= window.Render;
            await client.QuitAsync().ConfigureAwait(false);
        }
        return 0;
    }
}
