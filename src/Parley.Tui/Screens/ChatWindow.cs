using System.Collections.ObjectModel;
using Parley.Tui.State;
using Terminal.Gui.App;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Parley.Tui.Screens;

/// <summary>
/// The main window: conversations on the left, the messages of the one shown in the middle, its members on
/// the right, the entry field with its Send button and the status line at the bottom. It only renders
/// <see cref="ChatState"/> and forwards input to <see cref="ChatController"/>.
/// </summary>
internal sealed class ChatWindow : Window
{
    private const int SideWidth = 24;
    /// <summary>Continuation rows of a wrapped line start under its text, past the time.</summary>
    private const int ContinuationIndent = 11;

    private readonly IApplication _app;
    private readonly ChatState _state;
    private readonly ChatController _controller;
    private readonly TimeZoneInfo _zone;
    private readonly ObservableCollection<string> _conversationItems = [];
    private readonly ObservableCollection<string> _lineItems = [];
    private readonly ObservableCollection<string> _memberItems = [];
    private readonly ListView _conversations;
    private readonly FrameView _messagesFrame;
    private readonly ListView _messages;
    private readonly ListView _members;
    private readonly TextField _entry;
    private readonly Label _status;
    private readonly List<ChatLine> _rowLines = [];
    private Conversation? _shown;
    private int _wrapWidth;
    private bool _rendering;

    /// <summary>Builds the window over the state; call <see cref="Render"/> after each change.</summary>
    public ChatWindow(IApplication app, ChatState state, ChatController controller, TimeZoneInfo? zone = null)
    {
        _app = app;
        _state = state;
        _controller = controller;
        _zone = zone ?? TimeZoneInfo.Local;
        Title = "Parley";

        var conversationsFrame = new FrameView { Title = "Conversations", X = 0, Y = 0, Width = SideWidth, Height = Dim.Fill(2) };
        _conversations = new ListView { Width = Dim.Fill(), Height = Dim.Fill() };
        _conversations.SetSource(_conversationItems);
        conversationsFrame.Add(_conversations);

        _messagesFrame = new FrameView { Title = "Messages", X = Pos.Right(conversationsFrame), Y = 0, Width = Dim.Fill(SideWidth), Height = Dim.Fill(2) };
        _messages = new ListView { Width = Dim.Fill(), Height = Dim.Fill() };
        _messages.SetSource(_lineItems);
        _messagesFrame.Add(_messages);

        var membersFrame = new FrameView { Title = "Members", X = Pos.AnchorEnd(SideWidth), Y = 0, Width = SideWidth, Height = Dim.Fill(2) };
        _members = new ListView { Width = Dim.Fill(), Height = Dim.Fill() };
        _members.SetSource(_memberItems);
        membersFrame.Add(_members);

        _entry = new TextField { X = 0, Y = Pos.AnchorEnd(2), Width = Dim.Fill(10) };
        var send = new Button { Text = "_Send", X = Pos.AnchorEnd(9), Y = Pos.AnchorEnd(2), ShadowStyle = ShadowStyles.None };
        _status = new Label { Text = "", X = 0, Y = Pos.AnchorEnd(1), Width = Dim.Fill(), HotKeySpecifier = PlainText.NoHotKey };
        Add(conversationsFrame, _messagesFrame, membersFrame, _entry, send, _status);

        _entry.OnAccept(SubmitEntry);
        send.OnAccept(() =>
        {
            SubmitEntry();
            // the framework moves focus to the button after this handler: give it back afterwards
            FocusEntrySoon();
        });
        _conversations.ValueChanged += (_, _) => OnConversationPicked();
        // a click in the list (even on the conversation shown) or Enter on it: go on typing in the entry field
        _conversations.Activated += (_, _) => FocusEntrySoon();
        _conversations.Accepted += (_, _) => FocusEntrySoon();
        _app.Keyboard.KeyDown += OnKeyDown;
        // wrapping follows the width: wrap again when the window is resized
        _messages.ViewportChanged += (_, _) =>
        {
            if (!_rendering && _messages.Viewport.Width != _wrapWidth)
            {
                Render();
            }
        };
        _messages.OnAccept(RetrySelected);
        _entry.SetFocus();
    }

    /// <summary>Redraws everything from the state. Runs on the UI thread.</summary>
    public void Render()
    {
        _rendering = true;
        try
        {
            Title = $"Parley: {_state.Self}";
            Sync(_conversationItems, [.. _state.Conversations.Select(c => c.Label)]);
            var current = _state.Current;
            if (current is not null)
            {
                var index = IndexOf(current);
                if (_conversations.SelectedItem != index)
                {
                    _conversations.SelectedItem = index;
                }
            }

            _messagesFrame.Title = current?.Name ?? "Messages";
            var rows = WrapLines(current);
            var grew = !ReferenceEquals(current, _shown) || rows.Count != _lineItems.Count;
            Sync(_lineItems, rows);
            if (grew && rows.Count > 0)
            {
                _messages.SelectedItem = rows.Count - 1;
            }
            _shown = current;

            Sync(_memberItems, current is { IsRoom: true } ? [.. current.Members] : current is null ? [] : [_state.Self, current.Name]);
            _status.Text = _state.Status.Describe(_state.Self) + "   ·   /help for commands, Ctrl+N/Ctrl+P to switch conversations";
        }
        finally
        {
            _rendering = false;
        }
    }

    /// <summary>The rows of the message list: each line wrapped to the list's width, remembering which line a row shows.</summary>
    private List<string> WrapLines(Conversation? current)
    {
        _wrapWidth = _messages.Viewport.Width;
        _rowLines.Clear();
        var rows = new List<string>();
        foreach (var line in current?.Lines ?? [])
        {
            foreach (var row in LineWrapper.Wrap(line.Render(_zone), _wrapWidth, ContinuationIndent))
            {
                rows.Add(row);
                _rowLines.Add(line);
            }
        }
        return rows;
    }

    private void SubmitEntry()
    {
        var text = _entry.Text;
        if (text.Trim().Length == 0)
        {
            return;
        }
        _entry.Text = "";
        _ = RunAsync(text, _state.Current?.Name);
    }

    private async Task RunAsync(string text, string? conversation)
    {
        switch (await _controller.ExecuteAsync(text, conversation).ConfigureAwait(false))
        {
            case CommandOutcome.Quit:
                _app.Invoke(RequestStop);
                break;
            case CommandOutcome.NeedsPassword:
                _app.Invoke(AskPassword);
                break;
        }
    }

    private void AskPassword()
    {
        using var dialog = new PasswordDialog();
        _app.Run(dialog);
        if (dialog.Password is { } password)
        {
            _ = _controller.RegisterAsync(password);
        }
        _entry.SetFocus();
    }

    private void OnConversationPicked()
    {
        if (_rendering || _conversations.SelectedItem is not int index || index < 0 || index >= _state.Conversations.Count)
        {
            return;
        }
        var picked = _state.Conversations[index];
        if (!ReferenceEquals(picked, _state.Current))
        {
            _state.Select(picked);
        }
    }

    /// <summary>Ctrl+N and Ctrl+P show the next and the previous conversation, from anywhere.</summary>
    private void OnKeyDown(object? sender, Key key)
    {
        if (!IsRunning || _state.Conversations.Count == 0 || _state.Current is not { } current)
        {
            return;
        }
        var step = key == Key.N.WithCtrl ? 1 : key == Key.P.WithCtrl ? -1 : 0;
        if (step == 0)
        {
            return;
        }
        key.Handled = true;
        var count = _state.Conversations.Count;
        _state.Select(_state.Conversations[(IndexOf(current) + step + count) % count]);
        FocusEntrySoon();
    }

    private void FocusEntrySoon() =>
        _app.AddTimeout(TimeSpan.Zero, () =>
        {
            _entry.SetFocus();
            return false;
        });

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _app.Keyboard.KeyDown -= OnKeyDown;
        }
        base.Dispose(disposing);
    }

    private void RetrySelected()
    {
        if (_messages.SelectedItem is int index && index >= 0 && index < _rowLines.Count
            && _rowLines[index].Status == ChatLineStatus.Refused)
        {
            _ = _controller.Retry(_rowLines[index]);
        }
        _entry.SetFocus();
    }

    private int IndexOf(Conversation conversation)
    {
        for (var i = 0; i < _state.Conversations.Count; i++)
        {
            if (ReferenceEquals(_state.Conversations[i], conversation))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Makes the list show the items, touching only what differs (keeps the scroll position).</summary>
    private static void Sync(ObservableCollection<string> target, IReadOnlyList<string> items)
    {
        while (target.Count > items.Count)
        {
            target.RemoveAt(target.Count - 1);
        }
        for (var i = 0; i < items.Count; i++)
        {
            if (i == target.Count)
            {
                target.Add(items[i]);
            }
            else if (!string.Equals(target[i], items[i], StringComparison.Ordinal))
            {
                target[i] = items[i];
            }
        }
    }
}
