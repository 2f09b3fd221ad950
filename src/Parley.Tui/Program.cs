using Parley.Tui;
using Parley.Tui.Screens;

ClientCommandLine options;
try
{
    options = ClientCommandLine.Parse(args);
}
catch (FormatException e)
{
    await Console.Error.WriteLineAsync($"parley: {e.Message}\n\n{ClientCommandLine.Usage}");
    return PlainMode.ExitCannotStart;
}
if (options.Help)
{
    Console.WriteLine(ClientCommandLine.Usage);
    return 0;
}

// a script or a pipe gets lines; a person at a terminal gets the window
if (options.Plain || options.PasswordFromStdin || Console.IsInputRedirected || Console.IsOutputRedirected)
{
    return await new PlainMode(options, Console.In, Console.Out, Console.Error).RunAsync();
}
return await ChatApplication.RunAsync(options);
