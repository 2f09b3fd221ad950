using System.Globalization;
using Parley.Client;
using Parley.Tui.State;

namespace Parley.Tui;

/// <summary>
/// The line mode for scripts and pipes. Each input line goes to the current conversation (<c>/</c> commands
/// work); every incoming message is printed to standard output as <c>[YYYY-MM-DD HH:MM:SS] #room &lt;name&gt; text</c>
/// in local time (a direct conversation is written <c>@name</c>). Everything else goes to standard error.
/// At the end of input it waits for every ack.
/// </summary>
internal sealed class PlainMode
{
    /// <summary>Every message was acknowledged.</summary>
    public const int ExitOk = 0;
    /// <summary>A message was refused or never acknowledged.</summary>
    public const int ExitNotDelivered = 1;
    /// <summary>Bad usage, or no connection could be made.</summary>
    public const int ExitCannotStart = 2;

    private readonly ClientCommandLine _options;
    private readonly TextReader _input;
    private readonly TextWriter _output;
    private readonly TextWriter _errors;
    private readonly TimeZoneInfo _zone;
    private readonly Lock _gate = new();

    /// <summary>Creates the line mode over the given streams.</summary>
    public PlainMode(ClientCommandLine options, TextReader input, TextWriter output, TextWriter errors, TimeZoneInfo? zone = null)
    {
        _options = options;
        _input = input;
        _output = output;
        _errors = errors;
        _zone = zone ?? TimeZoneInfo.Local;
    }

    /// <summary>Runs until the end of input; returns the exit code.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(_options.User))
        {
            await _errors.WriteLineAsync("parley: plain mode needs --user NAME.").ConfigureAwait(false);
            return ExitCannotStart;
        }
        string? password = null;
        if (_options.PasswordFromStdin)
        {
            password = await _input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var client = new ParleyClient(new ParleyClientOptions
        {
            Server = _options.Server,
            TrustedCertificate = _options.TrustedCertificate,
            User = _options.User,
            Password = string.IsNullOrEmpty(password) ? null : password,
        });
        var state = new ChatState(_options.User, _options.ServerText);
        state.LineAdded += Print;
        state.LineUpdated += OnLineUpdated;
        var controller = new ChatController(client, state, Post, _options.ServerText);
        controller.Attach();
        try
        {
            var welcome = await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            controller.OnWelcome(welcome);
            Post(() => _errors.WriteLine($"* connected to {_options.ServerText} as {welcome.User}"));
        }
        catch (ParleyException e)
        {
            await _errors.WriteLineAsync("parley: " + ConnectFailure.Describe(e, _options.ServerText)).ConfigureAwait(false);
            return ExitCannotStart;
        }

        var quit = false;
        while (!quit && await _input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            string? current;
            lock (_gate)
            {
                current = state.Current?.Name;
            }
            switch (await controller.ExecuteAsync(line, current).ConfigureAwait(false))
            {
                case CommandOutcome.Quit:
                    quit = true;
                    break;
                case CommandOutcome.NeedsPassword:
                    // in a pipe the password is the next line
                    if (await _input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } newPassword)
                    {
                        await controller.RegisterAsync(newPassword).ConfigureAwait(false);
                    }
                    break;
            }
        }

        bool delivered;
        try
        {
            delivered = await controller.WhenAllDeliveredAsync().WaitAsync(_options.AckTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // a server that never comes back must not hold a script forever
            Post(() =>
            {
                _errors.WriteLine(
                    $"parley: gave up after {_options.AckTimeout.TotalSeconds:0.#} s: some messages were never acknowledged ({client.State}, {_options.ServerText}).");
                // which ones, so that a script knows what to send again
                foreach (var conversation in state.Conversations)
                {
                    foreach (var pending in conversation.Lines.Where(l => l.Status == ChatLineStatus.Pending))
                    {
                        _errors.WriteLine($"parley: never acknowledged in {pending.Conversation}: \"{pending.Text}\"");
                    }
                }
            });
            delivered = false;
        }
        await client.QuitAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        controller.Detach();
        return delivered ? ExitOk : ExitNotDelivered;
    }

    private void Post(Action action)
    {
        lock (_gate)
        {
            action();
        }
    }

    /// <summary>Called under the lock for every line the state gains.</summary>
    private void Print(ChatLine line)
    {
        switch (line.Status)
        {
            case ChatLineStatus.Received:
                _output.WriteLine(Format(line, _zone));
                _output.Flush();
                break;
            case ChatLineStatus.Notice when line.Kind == NoticeKind.Error:
                _errors.WriteLine($"parley: {line.Text}");
                break;
            case ChatLineStatus.Notice when line.Kind == NoticeKind.Info:
                _errors.WriteLine($"* {line.Text}");
                break;
        }
    }

    /// <summary>Called under the lock when an own message is acknowledged or refused.</summary>
    private void OnLineUpdated(ChatLine line)
    {
        if (line.Status == ChatLineStatus.Refused)
        {
            _errors.WriteLine($"parley: not delivered to {line.Conversation}: \"{line.Text}\": {line.Error}");
        }
    }

    /// <summary>An incoming message as plain mode prints it.</summary>
    public static string Format(ChatLine line, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(line);
        var time = TimeZoneInfo.ConvertTime(line.Time, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var conversation = Parley.Protocol.Names.IsRoom(line.Conversation) ? line.Conversation : "@" + line.Conversation;
        return $"[{time}] {conversation} <{line.Sender}> {line.Text}";
    }
}
